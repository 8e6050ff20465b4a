namespace Gpuvmsim.Runtime.Supervision;

/// <summary>Restart count of one child within the current time window (kept by the parent).</summary>
internal sealed class ChildRestartStats
{
    private int _retries;
    private DateTimeOffset? _windowStart;

    /// <summary>
    /// Counts one more restart and says whether it is allowed: a negative <paramref name="maxNrOfRetries"/> means
    /// unlimited, 0 means never; with a window, only restarts within <paramref name="window"/> of the window's first
    /// restart count, and a restart after the window opens a new one.
    /// </summary>
    public bool RequestRestartPermission(int maxNrOfRetries, TimeSpan? window, DateTimeOffset now)
    {
        if (maxNrOfRetries == 0) return false;
        if (window is null)
        {
            if (maxNrOfRetries < 0) return true;
            _retries++;
            return _retries <= maxNrOfRetries;
        }
        if (_windowStart is null || now - _windowStart.Value > window.Value)
        {
            _windowStart = now;
            _retries = 1;
            return maxNrOfRetries < 0 || _retries <= maxNrOfRetries;
        }
        _retries++;
        return maxNrOfRetries < 0 || _retries <= maxNrOfRetries;
    }
}
