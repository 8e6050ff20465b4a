namespace Gpuvmsim.Persistence;

/// <summary>A journal or snapshot-store setting is invalid; the message starts with its full HOCON key.</summary>
public sealed class InvalidStoreSettingsException : InputException
{
    internal InvalidStoreSettingsException(string key, string message) : base($"{key}: {message}")
    {
        Key = key;
    }

    /// <summary>The HOCON key at fault, e.g. <c>akka.persistence.journal.sql.provider-name</c>.</summary>
    public string Key { get; }
}
