namespace Gpuvmsim.Configuration;

/// <summary>
/// Joins the resolved pieces of a value concatenation (HOCON.md, "Value concatenation"): simple values become
/// one string (numbers as written, whitespace between pieces kept), arrays are appended, objects merge with
/// the later one winning, and mixing an object or array with a simple value is an error at the piece that mixes.
/// </summary>
internal static class Concatenator
{
    /// <summary>The joined value, or null when there is no piece left (every optional substitution was undefined).</summary>
    public static HoconValue? Join(IReadOnlyList<HoconValue> pieces)
    {
        HoconValue? joined = null;
        foreach (var piece in pieces)
            joined = joined is null ? piece : JoinTwo(joined, piece);
        return joined;
    }

    private static HoconValue JoinTwo(HoconValue left, HoconValue right)
    {
        bool leftComposite = left is HoconObject or HoconArray;
        bool rightComposite = right is HoconObject or HoconArray;
        if (left is HoconObject && right is HoconObject)
            return Merger.Merge(right, left);
        if (left is HoconArray leftArray && right is HoconArray rightArray)
            return new HoconArray(left.Origin, [.. leftArray.Items, .. rightArray.Items]);
        // Whitespace next to an object or array separates nothing: it is dropped.
        if (leftComposite && right is HoconString { IsSeparator: true })
            return left;
        if (rightComposite && left is HoconString { IsSeparator: true })
            return right;
        if (leftComposite || rightComposite)
            throw ConfigErrors.ConcatenationMismatch(right.Origin, Describe(left), Describe(right));
        bool separator = left is HoconString { IsSeparator: true } && right is HoconString { IsSeparator: true };
        return new HoconString(left.Origin, TextOf(left) + TextOf(right), separator);
    }

    /// <summary>How a simple value reads inside a string concatenation.</summary>
    public static string TextOf(HoconValue value) => value switch
    {
        HoconString s => s.Value,
        HoconNumber n => n.OriginalText,
        HoconBoolean b => b.Value ? "true" : "false",
        HoconNull => "null",
        _ => throw new InvalidOperationException($"{value.GetType().Name} has no text form"),
    };

    private static string Describe(HoconValue value) => value switch
    {
        HoconObject => "an object",
        HoconArray => "an array",
        HoconString => $"the string {JsonRenderer.Quote(((HoconString)value).Value)}",
        _ => $"the {value.Type.ToString().ToLowerInvariant()} {TextOf(value)}",
    };
}
