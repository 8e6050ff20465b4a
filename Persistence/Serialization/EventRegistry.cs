using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Gpuvmsim.Persistence.Serialization;

/// <summary>
/// The versioned JSON serializer of journal events and snapshots, and its registry of event types.
/// <para>
/// Each registered type has one string manifest (<c>va-inserted.v1</c>) and each manifest one type. A row stores
/// the UTF-8 JSON of the event in <c>message</c>, the manifest in <c>manifest</c> and <see cref="SerializerId"/>
/// in <c>identifier</c>, as Akka.Persistence.Sql stores a <c>SerializerWithStringManifest</c>'s output.
/// </para>
/// <para>
/// Reading is tolerant: JSON properties the type does not have are ignored, and properties the JSON lacks
/// (a field added to the event later) get their default value, so adding a nullable or value-typed field never
/// breaks old rows. A null or missing value where the type allows none (a non-nullable reference) is unreadable.
/// The JSON shape is part of the file format: properties are camel-cased, enums are written by name.
/// Registration is open — events are records defined in other assemblies — either by attribute
/// (<see cref="EventManifestAttribute"/> plus <see cref="RegisterAttributed"/>) or explicitly
/// (<see cref="Register{T}(string)"/>). Register before the first write or replay; registering is thread-safe.
/// </para>
/// </summary>
public sealed class EventRegistry
{
    /// <summary>
    /// The serializer id stored in <c>journal.identifier</c> and <c>snapshot.serializer_id</c>: 401, "gpuvmsim
    /// versioned JSON". Akka.NET reserves ids 0–40 for its own serializers (1 = Newtonsoft JSON, 4 = byte[]);
    /// custom serializers take ids above 40.
    /// </summary>
    public const int SerializerId = 401;

    /// <summary>Longest manifest the <c>manifest</c> column (VARCHAR(500)) holds.</summary>
    public const int MaxManifestLength = 500;

    private readonly JsonSerializerOptions _options;
    private readonly Lock _registering = new();
    private Entry? _lastRead;
    private volatile Tables _tables = new(new Dictionary<Type, Entry>(), new Dictionary<string, Entry>(StringComparer.Ordinal));

    /// <summary>A registry with the default JSON options (camel case, enums by name, unknown properties skipped).</summary>
    public EventRegistry() : this(null) { }

    /// <summary>A registry with the given JSON options (copied and frozen); null gives the defaults.</summary>
    public EventRegistry(JsonSerializerOptions? options)
    {
        _options = options is null ? DefaultOptions() : new JsonSerializerOptions(options);
        _options.TypeInfoResolver = (_options.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver()).WithAddedModifier(RequireNonNullableParameters);
        _options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip;
        _options.RespectNullableAnnotations = true;
        _options.MakeReadOnly();
    }

    /// <summary>Every registered manifest, in ordinal order.</summary>
    public IReadOnlyList<string> Manifests => _tables.ByManifest.Keys.Order(StringComparer.Ordinal).ToArray();

    /// <summary>Registers <typeparamref name="T"/> under <paramref name="manifest"/>; registering the same pair again does nothing.</summary>
    /// <exception cref="ArgumentException">The manifest is empty or too long, or the type or the manifest is already registered differently.</exception>
    public EventRegistry Register<T>(string manifest) => Register(typeof(T), manifest);

    /// <summary>As <see cref="Register{T}(string)"/>, with the type's JSON contract given (e.g. from a source-generated context).</summary>
    public EventRegistry Register<T>(string manifest, JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        return Add(typeof(T), manifest, typeInfo);
    }

    /// <summary>Registers <paramref name="type"/> under <paramref name="manifest"/>.</summary>
    /// <exception cref="ArgumentException">As <see cref="Register{T}(string)"/>.</exception>
    public EventRegistry Register(Type type, string manifest)
    {
        ArgumentNullException.ThrowIfNull(type);
        return Add(type, manifest, null);
    }

    /// <summary>Registers every type of <paramref name="assembly"/> that carries an <see cref="EventManifestAttribute"/>.</summary>
    public EventRegistry RegisterAttributed(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        foreach (var type in assembly.GetTypes())
        {
            if (type.GetCustomAttribute<EventManifestAttribute>() is { } attribute)
                Register(type, attribute.Manifest);
        }
        return this;
    }

    /// <summary>The manifest <paramref name="type"/> is written with.</summary>
    /// <returns>True and the manifest when registered; false otherwise.</returns>
    public bool TryGetManifest(Type type, [NotNullWhen(true)] out string? manifest)
    {
        var found = _tables.ByType.TryGetValue(type, out var entry);
        manifest = entry?.Manifest;
        return found;
    }

    /// <summary>The type stored rows with <paramref name="manifest"/> are read as.</summary>
    /// <returns>True and the type when registered; false otherwise.</returns>
    public bool TryGetType(string manifest, [NotNullWhen(true)] out Type? type)
    {
        var found = _tables.ByManifest.TryGetValue(manifest, out var entry);
        type = entry?.Type;
        return found;
    }

    /// <summary>Serializes a payload: its UTF-8 JSON and its manifest.</summary>
    /// <exception cref="EventNotSerializableException">The payload's type is not registered, or JSON serialization failed.</exception>
    internal byte[] Serialize(object payload, out string manifest)
    {
        if (!_tables.ByType.TryGetValue(payload.GetType(), out var entry))
            throw JournalErrors.NotRegistered(payload.GetType(), Manifests);
        manifest = entry.Manifest;
        try
        {
            return JsonSerializer.SerializeToUtf8Bytes(payload, entry.TypeInfo);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException)
        {
            throw JournalErrors.SerializationFailed(payload.GetType(), manifest, e);
        }
    }

    /// <summary>Reads a stored payload back; <paramref name="row"/> names the row for error messages.</summary>
    /// <exception cref="UnknownEventManifestException">The manifest or the serializer id is unknown.</exception>
    /// <exception cref="UnreadableEventException">The bytes are not valid JSON for the manifest's type.</exception>
    internal object Deserialize(ReadOnlySpan<byte> bytes, int? serializerId, string? manifest, in RowLocation row)
    {
        if (serializerId is { } id && id != SerializerId)
            throw JournalErrors.UnknownSerializer(id, manifest, row);
        // Rows of a page usually share one manifest string instance (the SQLite reader reuses it): skip the hash.
        var entry = _lastRead;
        if (entry is null || !ReferenceEquals(entry.Manifest, manifest))
        {
            if (manifest is null || !_tables.ByManifest.TryGetValue(manifest, out entry))
                throw JournalErrors.UnknownManifest(manifest ?? "", row, Manifests);
            _lastRead = entry with { Manifest = manifest };
        }
        try
        {
            return JsonSerializer.Deserialize(bytes, entry.TypeInfo) ?? throw new JsonException("the JSON is null");
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException or ArgumentException)
        {
            throw JournalErrors.Unreadable(entry.Manifest, entry.Type, row, e);
        }
    }

    private EventRegistry Add(Type type, string manifest, JsonTypeInfo? typeInfo)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(manifest);
        if (manifest.Length > MaxManifestLength)
            throw new ArgumentException($"manifest '{manifest[..40]}…' has {manifest.Length} characters; the manifest column holds {MaxManifestLength}", nameof(manifest));
        if (type.IsAbstract || type.IsInterface || type.ContainsGenericParameters)
            throw new ArgumentException($"{type} cannot be registered: events are concrete types", nameof(type));
        lock (_registering)
        {
            var tables = _tables;
            tables.ByType.TryGetValue(type, out var byType);
            tables.ByManifest.TryGetValue(manifest, out var byManifest);
            if (byType is not null && byType.Manifest == manifest)
                return this;
            if (byType is not null)
                throw new ArgumentException($"{type} is already registered as '{byType.Manifest}'; a new version of an event is a new type with a new manifest", nameof(manifest));
            if (byManifest is not null)
                throw new ArgumentException($"manifest '{manifest}' is already registered for {byManifest.Type}", nameof(manifest));
            var entry = new Entry(type, manifest, typeInfo ?? _options.GetTypeInfo(type));
            _tables = new Tables(
                new Dictionary<Type, Entry>(tables.ByType) { [type] = entry },
                new Dictionary<string, Entry>(tables.ByManifest, StringComparer.Ordinal) { [manifest] = entry });
        }
        return this;
    }

    /// <summary>
    /// Makes a constructor parameter of a non-nullable reference type without a default value required, so that a
    /// row lacking it is unreadable instead of an event holding a null it never allows. A field added later is
    /// nullable or a value type, so older rows still read.
    /// </summary>
    private static void RequireNonNullableParameters(JsonTypeInfo type)
    {
        foreach (var property in type.Properties)
        {
            if (property.AssociatedParameter is { IsNullable: false, HasDefaultValue: false } parameter && !parameter.ParameterType.IsValueType)
                property.IsRequired = true;
        }
    }

    private static JsonSerializerOptions DefaultOptions() => new(JsonSerializerDefaults.General)
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter() },
    };

    private sealed record Entry(Type Type, string Manifest, JsonTypeInfo TypeInfo);

    /// <summary>Copy-on-write lookup tables: readers never lock.</summary>
    private sealed record Tables(Dictionary<Type, Entry> ByType, Dictionary<string, Entry> ByManifest);
}

/// <summary>Where a stored payload lives, for error messages: the database, the persistence id and sequence number, and whether it is an event or a snapshot.</summary>
internal readonly record struct RowLocation(string Database, string PersistenceId, long SequenceNr, bool IsSnapshot = false);
