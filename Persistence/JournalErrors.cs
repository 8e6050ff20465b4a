using Gpuvmsim.Persistence.Serialization;
using Gpuvmsim.Persistence.Settings;

namespace Gpuvmsim.Persistence;

/// <summary>
/// Builds every exception the persistence layer throws, so that each message is written once and always
/// names what is at fault: the file or schema, the persistence id and sequence number, or the setting's key.
/// </summary>
internal static class JournalErrors
{
    public static EventNotSerializableException NotRegistered(Type type, IReadOnlyList<string> known) =>
        new($"{type.FullName} is not a registered event type; register it with [EventManifest(\"name.v1\")] and " +
            $"EventRegistry.RegisterAttributed, or EventRegistry.Register<T>(\"name.v1\") (registered: {List(known)})");

    public static EventNotSerializableException SerializationFailed(Type type, string manifest, Exception inner) =>
        new($"{type.FullName} ('{manifest}') cannot be serialized to JSON: {inner.Message}", inner);

    public static EventNotSerializableException TooLong(string field, string value, int max, string persistenceId, long sequenceNr) =>
        new($"{field} '{Clip(value)}' of sequence {sequenceNr} of pid '{Clip(persistenceId)}' has {value.Length} characters; its column holds {max}");

    public static EventNotSerializableException EmptyTag(string persistenceId, long sequenceNr) =>
        new($"an empty tag on sequence {sequenceNr} of pid '{Clip(persistenceId)}'");

    public static UnknownEventManifestException UnknownManifest(string manifest, in RowLocation row, IReadOnlyList<string> known) =>
        new($"{row.Database}: {What(row)} version '{manifest}' unknown at sequence {row.SequenceNr} of pid '{row.PersistenceId}' " +
            $"(this program reads: {List(known)})", manifest, row.PersistenceId, row.SequenceNr);

    public static UnknownEventManifestException UnknownSerializer(int serializerId, string? manifest, in RowLocation row) =>
        new($"{row.Database}: {What(row)} serializer id {serializerId} unknown at sequence {row.SequenceNr} of pid '{row.PersistenceId}' " +
            $"(manifest '{manifest}'; this program reads serializer id {EventRegistry.SerializerId}, versioned JSON)",
            manifest ?? "", row.PersistenceId, row.SequenceNr);

    public static UnreadableEventException Unreadable(string manifest, Type type, in RowLocation row, Exception inner) =>
        new($"{row.Database}: {What(row)} at sequence {row.SequenceNr} of pid '{row.PersistenceId}' cannot be read as '{manifest}' ({type.FullName}): {inner.Message}",
            row.PersistenceId, row.SequenceNr, inner);

    public static SequenceNumberConflictException SequenceConflict(string database, string persistenceId, long takenSequenceNr, long lowest, long highest, Exception? inner) =>
        new($"{database}: sequence number {takenSequenceNr} of pid '{persistenceId}' is already stored (two writers of one persistence id?); " +
            $"the atomic write of sequence {Range(lowest, highest)} was rejected and nothing of it was stored",
            persistenceId, takenSequenceNr, inner);

    public static UnusableDatabaseException NotADatabase(string path) =>
        new($"{path}: not a SQLite database (its first bytes are not the SQLite header); the file was left untouched", path);

    public static UnusableDatabaseException Corrupt(string path, string detail, Exception? inner = null) =>
        new($"{path}: the database is corrupt or truncated ({detail}); the file was left untouched", path, inner);

    public static UnusableDatabaseException Empty(string path) =>
        new($"{path}: the file is empty (0 bytes), not a journal database; the file was left untouched", path);

    public static UnusableDatabaseException WrongLayout(string path, string detail, Exception inner) =>
        new($"{path}: the tables do not have the journal's layout ({detail}); the file was left untouched", path, inner);

    public static UnusableDatabaseException Missing(string path) =>
        new($"{path}: no database file, and auto-initialize = false forbids creating one", path);

    public static UnusableDatabaseException MissingTables(string database, IEnumerable<string> tables) =>
        new($"{database}: table(s) {string.Join(", ", tables)} missing, and auto-initialize = false forbids creating them", database);

    public static UnusableDatabaseException Unreachable(string database, Exception inner) =>
        new($"{database}: cannot open the database: {inner.Message}", database, inner);

    public static InvalidStoreSettingsException Setting(string key, string message) => new(key, message);

    public static InvalidStoreSettingsException UnknownProvider(string key, string name) =>
        new(key, $"unknown provider '{name}'; known: {string.Join(", ", ProviderNames.Known.Keys)}");

    public static ObjectDisposedException Disposed(string what) => new(what);

    private static string What(in RowLocation row) => row.IsSnapshot ? "snapshot" : "event";

    private static string Range(long lowest, long highest) => lowest == highest ? $"{lowest}" : $"{lowest}..{highest}";

    private static string List(IReadOnlyList<string> items) => items.Count == 0 ? "none" : string.Join(", ", items);

    private static string Clip(string value) => value.Length <= 60 ? value : value[..60] + "…";
}
