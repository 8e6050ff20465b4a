using Gpuvmsim.Configuration;

namespace Gpuvmsim.Persistence;

/// <summary>
/// A journal or snapshot-store setting is invalid. The message starts with its full HOCON key, preceded by the
/// value's <c>file:line:column</c> when the settings were bound from HOCON (<c>JournalSettings.FromConfig</c>).
/// </summary>
public sealed class InvalidStoreSettingsException : InputException
{
    internal InvalidStoreSettingsException(string key, string reason) : base($"{key}: {reason}")
    {
        Key = key;
        Reason = reason;
    }

    internal InvalidStoreSettingsException(string key, string reason, ConfigOrigin origin) : base($"{origin}: {key}: {reason}")
    {
        Key = key;
        Reason = reason;
        Origin = origin;
    }

    /// <summary>The HOCON key at fault, e.g. <c>akka.persistence.journal.sql.provider-name</c>.</summary>
    public string Key { get; }

    /// <summary>Where the value was written, when the settings came from HOCON; otherwise null.</summary>
    public ConfigOrigin? Origin { get; }

    /// <summary>What is wrong, without the key and position.</summary>
    internal string Reason { get; }
}
