namespace Gpuvmsim.Host.Cli;

/// <summary>Exit statuses of every verb (../shared/spec/cli-contract.md).</summary>
internal static class ExitCodes
{
    /// <summary>The verb did its work, whatever it found.</summary>
    public const int Ok = 0;

    /// <summary>An internal error: a bug in gpuvmsim.</summary>
    public const int InternalError = 1;

    /// <summary>Bad input or usage; one message on stderr names the place at fault.</summary>
    public const int BadInput = 2;

    /// <summary>With <c>--fail-on-findings</c>: the run found something.</summary>
    public const int Findings = 3;
}
