using System.Globalization;

namespace Gpuvmsim.Configuration;

/// <summary>A string value, quoted or not in its source.</summary>
public sealed class HoconString : HoconValue
{
    internal HoconString(ConfigOrigin origin, string value, bool isUnquoted = false) : base(origin)
    {
        Value = value;
        IsUnquoted = isUnquoted;
    }

    public string Value { get; }

    public override HoconType Type => HoconType.String;

    internal override bool IsResolved => true;

    /// <summary>
    /// True for one unquoted token, or the whitespace between two simple values, as written. The reference
    /// drops such a string when it follows an object or array in a concatenation; a quoted or joined string it refuses.
    /// </summary>
    internal bool IsUnquoted { get; }
}

/// <summary>
/// A number. <see cref="OriginalText"/> is the text as written, which value concatenation uses
/// (<c>1.0 x</c> is the string <c>"1.0 x"</c>), while <see cref="IsIntegral"/> and the parsed value serve getters.
/// </summary>
public sealed class HoconNumber : HoconValue
{
    internal HoconNumber(ConfigOrigin origin, string originalText, long integral) : base(origin)
    {
        OriginalText = originalText;
        IsIntegral = true;
        LongValue = integral;
        DoubleValue = integral;
    }

    internal HoconNumber(ConfigOrigin origin, string originalText, double value) : base(origin)
    {
        OriginalText = originalText;
        DoubleValue = value;
        // A whole double behaves as an integer, as the reference implementation does (1.0 renders as 1). Its test
        // compares with long.MaxValue as a double, 2^63, so 2^63 itself passes and becomes long.MaxValue.
        IsIntegral = Math.Floor(value) == value && value >= -9.223372036854775808E18 && value <= 9.223372036854775808E18;
        LongValue = !IsIntegral ? 0 : value >= 9.223372036854775807E18 ? long.MaxValue : (long)value;
    }

    public string OriginalText { get; }

    /// <summary>True when the number is a whole number that fits a 64-bit integer.</summary>
    public bool IsIntegral { get; }

    /// <summary>The value when <see cref="IsIntegral"/>; 0 otherwise.</summary>
    public long LongValue { get; }

    public double DoubleValue { get; }

    public override HoconType Type => HoconType.Number;

    internal override bool IsResolved => true;

    /// <summary>Parses number text the way the tokenizer accepts it; null when it is no number after all.</summary>
    internal static HoconNumber? TryParse(ConfigOrigin origin, string text)
    {
        if (text.Length == 0 || text == "-")
            return null;
        bool decimalOrExponent = text.AsSpan().IndexOfAny(".eE") >= 0;
        if (!decimalOrExponent)
        {
            foreach (char c in text.AsSpan(text[0] == '-' ? 1 : 0))
                if (c is < '0' or > '9')
                    return null;
            // An integer too large for 64 bits is no number: it stays text, as in the reference.
            return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long l)
                ? new HoconNumber(origin, text, l)
                : null;
        }
        // Beyond double's range the value is an infinity, as Java's parser makes it (1e400 renders as Infinity).
        return IsDecimalSyntax(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double d)
            ? new HoconNumber(origin, text, d)
            : null;
    }

    /// <summary>Digits with an optional fraction and exponent (a leading point or trailing point allowed, like Java's parser).</summary>
    private static bool IsDecimalSyntax(string text)
    {
        int i = text[0] == '-' ? 1 : 0;
        int mantissaDigits = 0;
        while (i < text.Length && char.IsAsciiDigit(text[i])) { i++; mantissaDigits++; }
        if (i < text.Length && text[i] == '.')
        {
            i++;
            while (i < text.Length && char.IsAsciiDigit(text[i])) { i++; mantissaDigits++; }
        }
        if (mantissaDigits == 0)
            return false;
        if (i < text.Length && text[i] is 'e' or 'E')
        {
            i++;
            if (i < text.Length && text[i] is '+' or '-')
                i++;
            int exponentDigits = 0;
            while (i < text.Length && char.IsAsciiDigit(text[i])) { i++; exponentDigits++; }
            if (exponentDigits == 0)
                return false;
        }
        return i == text.Length;
    }
}

/// <summary>A boolean written <c>true</c> or <c>false</c>; getters also accept the strings yes/no/on/off.</summary>
public sealed class HoconBoolean : HoconValue
{
    internal HoconBoolean(ConfigOrigin origin, bool value) : base(origin) => Value = value;

    public bool Value { get; }

    public override HoconType Type => HoconType.Boolean;

    internal override bool IsResolved => true;
}

/// <summary>An explicit <c>null</c>; it hides earlier values and blocks the environment fallback.</summary>
public sealed class HoconNull : HoconValue
{
    internal HoconNull(ConfigOrigin origin) : base(origin) { }

    public override HoconType Type => HoconType.Null;

    internal override bool IsResolved => true;
}
