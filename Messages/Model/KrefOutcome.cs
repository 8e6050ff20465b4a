namespace Gpuvmsim.Model;

/// <summary>What one get or put did to a reference count.</summary>
public enum KrefOutcome
{
    /// <summary>The call did not touch the count.</summary>
    None,

    /// <summary>kref_get: the count went up by one.</summary>
    Taken,

    /// <summary>kref_put: the count went down and is still above zero.</summary>
    Dropped,

    /// <summary>kref_put: the count reached zero and the release function ran (the object is gone).</summary>
    Released,

    /// <summary>A get or put on a count that was already zero: the object was already freed. The count stays 0.</summary>
    UseAfterFree,
}
