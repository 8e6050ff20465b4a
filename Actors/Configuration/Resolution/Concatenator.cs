namespace Gpuvmsim.Configuration;

/// <summary>
/// Joins the pieces of a value concatenation (HOCON.md, "Value concatenation") from left to right, as the reference
/// implementation (Lightbend config 1.3.1) does: simple values become one string (numbers as written), arrays are
/// appended, objects merge with the later one winning, an object with numeric keys meeting an array is read as an
/// array, and an object or array absorbs an unquoted string that follows it. Any other mix of an object or array with
/// a simple value is an error at the left piece.
/// </summary>
internal static class Concatenator
{
    /// <summary>
    /// The most elements of a joined array and characters of a joined string. Substitutions can double a value on
    /// every line (<c>b = ${a} ${a}</c>), so without a bound a few lines exhaust memory.
    /// </summary>
    public const int MaxJoinedLength = 1 << 20;

    /// <summary>The joined value, or null when there is no piece left (every optional substitution was undefined).</summary>
    public static HoconValue? Join(IReadOnlyList<HoconValue> pieces)
    {
        HoconValue? joined = null;
        foreach (var piece in pieces)
            joined = joined is null ? piece : JoinTwo(joined, piece);
        return joined;
    }

    /// <summary><paramref name="left"/> followed by <paramref name="right"/>; neither may be a substitution.</summary>
    public static HoconValue JoinTwo(HoconValue left, HoconValue right)
    {
        if (left is HoconArray && right is HoconObject rightObject)
            right = AsArray(rightObject) ?? right;
        else if (left is HoconObject leftObject && right is HoconArray)
            left = AsArray(leftObject) ?? left;

        if (left is HoconObject && right is HoconObject)
            return Merger.Merge(right, left);
        if (left is HoconArray leftArray && right is HoconArray rightArray)
        {
            if ((long)leftArray.Items.Count + rightArray.Items.Count > MaxJoinedLength)
                throw ConfigErrors.ConcatenationTooLong(left.Origin, "an array of more than " + MaxJoinedLength + " elements");
            return new HoconArray(left.Origin, [.. leftArray.Items, .. rightArray.Items]);
        }
        bool leftComposite = left is HoconObject or HoconArray;
        // 1.3.1 takes any unquoted string after an object or array for layout whitespace and drops it ([1] x is [1]).
        if (leftComposite && right is HoconString { IsUnquoted: true })
            return left;
        if (leftComposite || right is HoconObject or HoconArray)
            throw ConfigErrors.ConcatenationMismatch(left.Origin, Describe(left), Describe(right));
        var (leftText, rightText) = (TextOf(left), TextOf(right));
        if ((long)leftText.Length + rightText.Length > MaxJoinedLength)
            throw ConfigErrors.ConcatenationTooLong(left.Origin, "a string of more than " + MaxJoinedLength + " characters");
        return new HoconString(Earlier(left.Origin, right.Origin), leftText + rightText);
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

    /// <summary>
    /// The values of the keys that are non-negative 32-bit integers (<c>"0"</c>, <c>"+1"</c>, <c>"01"</c>), in numeric order,
    /// as an array (HOCON.md, "Conversion of numerically-indexed objects to arrays"); null when there is no such key.
    /// Of keys naming the same index (<c>"1"</c>, <c>"01"</c>), the one the reference iterates last wins.
    /// </summary>
    internal static HoconArray? AsArray(HoconObject obj)
    {
        var byIndex = new SortedDictionary<int, HoconValue>();
        foreach (var field in JavaHashOrder.FieldsOf(obj))
            if (TryParseIndex(field.Key, out int index))
                byIndex[index] = field.Value;
        return byIndex.Count == 0 ? null : new HoconArray(obj.Origin, [.. byIndex.Values]);
    }

    /// <summary>A decimal integer with an optional sign, as Java's <c>Integer.parseInt</c> reads it; negative ones are no index.</summary>
    private static bool TryParseIndex(string key, out int index) => JavaInteger.TryParse(key, 10, out index) && index >= 0;

    /// <summary>A joined string starts where the earlier of its parts does (a substituted part may come from an earlier line).</summary>
    private static ConfigOrigin Earlier(ConfigOrigin left, ConfigOrigin right) =>
        right.Source == left.Source && right.Line < left.Line ? right : left;

    private static string Describe(HoconValue value) => value switch
    {
        HoconObject => "an object",
        HoconArray => "an array",
        HoconString => $"the string {JsonRenderer.Quote(((HoconString)value).Value)}",
        HoconNull => "null",
        _ => $"the {value.Type.ToString().ToLowerInvariant()} {TextOf(value)}",
    };
}
