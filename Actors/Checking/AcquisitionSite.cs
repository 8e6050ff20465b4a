namespace Gpuvmsim.Checking;

/// <summary>
/// Where a lock was taken, in scenario terms rather than stack frames: the kernel function the simulation
/// mirrors, the context and its script step, and the delivery step of the schedule.
/// </summary>
public sealed record AcquisitionSite(string Function, string Context, int ScriptStep, string StepLabel, long Delivery)
{
    /// <summary>The frame line used in lockdep-style reports, e.g. <c>msm_vma_job_run (worker step 1 "run-job J1", delivery 41)</c>.</summary>
    public string Frame => $"{Function} ({Context} step {ScriptStep + 1} \"{StepLabel}\", delivery {Delivery})";

    public override string ToString() => Frame;
}
