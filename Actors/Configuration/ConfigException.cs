namespace Gpuvmsim.Configuration;

/// <summary>
/// A configuration that cannot be read: bad syntax, an unresolvable substitution, a missing required
/// include, or a value of the wrong type for the getter that asked for it.
/// The message is <c>file:line:column: reason</c>; <see cref="Origin"/> and <see cref="Reason"/> hold the two halves.
/// </summary>
public sealed class ConfigException : InputException
{
    internal ConfigException(ConfigOrigin origin, string reason, Exception? inner = null)
        : base($"{origin}: {reason}", inner!)
    {
        Origin = origin;
        Reason = reason;
    }

    /// <summary>The place at fault.</summary>
    public ConfigOrigin Origin { get; }

    /// <summary>What is wrong there, without the position prefix.</summary>
    public string Reason { get; }
}
