namespace Gpuvmsim.Configuration;

/// <summary>The JSON type of a resolved configuration value.</summary>
public enum HoconType
{
    Object,
    Array,
    String,
    Number,
    Boolean,
    Null,
}

/// <summary>
/// One configuration value: an object, an array, a string, a number, a boolean or null.
/// Every value remembers where it was written (<see cref="Origin"/>), so a consumer that finds it
/// unacceptable can report <c>file:line:column</c>. Values are immutable.
/// </summary>
/// <remarks>
/// Before resolution a tree may also hold substitutions, concatenations and merge stacks; those are
/// internal and never reach a caller of <see cref="Config"/>, which only hands out resolved values.
/// </remarks>
public abstract class HoconValue
{
    private protected HoconValue(ConfigOrigin origin) => Origin = origin;

    /// <summary>Where the value starts in its source.</summary>
    public ConfigOrigin Origin { get; }

    /// <summary>The value's type; internal unresolved kinds report the type they are not yet.</summary>
    public abstract HoconType Type { get; }

    /// <summary>True when the value and everything inside it holds no substitution.</summary>
    internal abstract bool IsResolved { get; }

    /// <summary>This value as concise JSON, the way <c>gpuvmsim config render</c> prints it.</summary>
    public string ToJson() => JsonRenderer.Render(this);

    public override string ToString() => ToJson();
}
