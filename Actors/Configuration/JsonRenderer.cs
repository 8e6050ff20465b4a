using System.Globalization;
using System.Text;

namespace Gpuvmsim.Configuration;

/// <summary>
/// Renders resolved values as concise JSON, byte for byte as the reference implementation's
/// <c>render(ConfigRenderOptions.concise())</c> (Lightbend config 1.3.1): no whitespace; object keys with only
/// ASCII digits first in numeric order, then the others in ordinal (UTF-16) order; strings escaped with
/// JSON's short escapes and <c>\u00XX</c> (lower-case hex) for other control characters below U+0020, everything
/// else written as is; whole numbers that fit 64 bits as integers; other numbers as Java's <c>Double.toString</c>.
/// </summary>
internal static class JsonRenderer
{
    public static string Render(HoconValue value)
    {
        var sb = new StringBuilder();
        Write(sb, value);
        return sb.ToString();
    }

    /// <summary><paramref name="text"/> as a JSON string literal, quotes included.</summary>
    public static string Quote(string text)
    {
        var sb = new StringBuilder(text.Length + 2);
        WriteString(sb, text);
        return sb.ToString();
    }

    private static void Write(StringBuilder sb, HoconValue value)
    {
        switch (value)
        {
            case HoconObject obj:
                sb.Append('{');
                bool first = true;
                foreach (var field in InRenderOrder(obj))
                {
                    if (!first)
                        sb.Append(',');
                    first = false;
                    WriteString(sb, field.Key);
                    sb.Append(':');
                    Write(sb, field.Value);
                }
                sb.Append('}');
                break;
            case HoconArray array:
                sb.Append('[');
                for (int i = 0; i < array.Items.Count; i++)
                {
                    if (i > 0)
                        sb.Append(',');
                    Write(sb, array.Items[i]);
                }
                sb.Append(']');
                break;
            case HoconString s:
                WriteString(sb, s.Value);
                break;
            case HoconNumber n:
                sb.Append(FormatNumber(n));
                break;
            case HoconBoolean b:
                sb.Append(b.Value ? "true" : "false");
                break;
            case HoconNull:
                sb.Append("null");
                break;
            default:
                throw new InvalidOperationException($"cannot render an unresolved {value.GetType().Name}");
        }
    }

    private static void WriteString(StringBuilder sb, string text)
    {
        sb.Append('"');
        foreach (char c in text)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case < ' ':
                    sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                default:
                    sb.Append(c);
                    break;
            }
        }
        sb.Append('"');
    }

    /// <summary>The reference prints a whole number as an integer whatever its text (<c>1.0</c>, <c>1e5</c>, <c>-0</c>).</summary>
    public static string FormatNumber(HoconNumber number) =>
        number.IsIntegral
            ? number.LongValue.ToString(CultureInfo.InvariantCulture)
            : JavaDoubleFormat.Format(number.DoubleValue);

    /// <summary>
    /// The reference sorts the keys of its <c>HashMap</c> with a stable sort, so keys of equal numeric value
    /// (<c>"1"</c>, <c>"01"</c>) keep the map's iteration order.
    /// </summary>
    private static IEnumerable<HoconField> InRenderOrder(HoconObject obj) =>
        JavaHashOrder.FieldsOf(obj).OrderBy(f => f.Key, KeyOrder.Instance);

    /// <summary>Keys of ASCII digits only come first, by numeric value (equal values tie); then the rest, ordinally.</summary>
    private sealed class KeyOrder : IComparer<string>
    {
        public static readonly KeyOrder Instance = new();

        public int Compare(string? x, string? y)
        {
            bool xDigits = IsAllDigits(x!), yDigits = IsAllDigits(y!);
            if (xDigits && yDigits)
            {
                string a = x!.TrimStart('0'), b = y!.TrimStart('0');
                return a.Length != b.Length ? a.Length.CompareTo(b.Length) : string.CompareOrdinal(a, b);
            }
            if (xDigits != yDigits)
                return xDigits ? -1 : 1;
            return string.CompareOrdinal(x, y);
        }

        private static bool IsAllDigits(string s) => s.Length > 0 && s.All(char.IsAsciiDigit);
    }
}

/// <summary>
/// Java's <c>Double.toString</c> layout: plain decimals with at least one fraction digit for 10^-3 ≤ |d| &lt; 10^7,
/// otherwise <c>d.dddE±n</c>. Digits are the shortest that round-trip, as Java 19 and later choose them; Java 17's
/// older algorithm prints a few values with extra digits (1.0E23 as 9.999999999999999E22).
/// </summary>
internal static class JavaDoubleFormat
{
    public static string Format(double value)
    {
        if (double.IsInfinity(value))
            return value > 0 ? "Infinity" : "-Infinity";
        if (value == 0)
            return double.IsNegative(value) ? "-0.0" : "0.0";
        string sign = value < 0 ? "-" : "";
        // "E16" is not shortest; "R" gives the shortest round-trip digits, normalized below.
        string r = Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
        int exponentAt = r.IndexOfAny(['E', 'e']);
        int exponent = exponentAt >= 0 ? int.Parse(r[(exponentAt + 1)..], CultureInfo.InvariantCulture) : 0;
        string mantissa = exponentAt >= 0 ? r[..exponentAt] : r;
        int point = mantissa.IndexOf('.');
        string digits = point >= 0 ? mantissa.Remove(point, 1) : mantissa;
        int pointPosition = (point >= 0 ? point : mantissa.Length) + exponent;
        int leadingZeros = digits.Length - digits.TrimStart('0').Length;
        digits = digits.Trim('0');
        pointPosition -= leadingZeros;
        if (digits.Length == 0)
            digits = "0";

        // value = 0.<digits> x 10^pointPosition
        double magnitude = Math.Abs(value);
        if (magnitude >= 1e-3 && magnitude < 1e7)
        {
            string integer = pointPosition > 0 ? digits[..Math.Min(pointPosition, digits.Length)].PadRight(pointPosition, '0') : "0";
            string fraction = pointPosition >= digits.Length ? "0"
                : pointPosition >= 0 ? digits[pointPosition..]
                : new string('0', -pointPosition) + digits;
            return $"{sign}{integer}.{fraction}";
        }
        string rest = digits.Length > 1 ? digits[1..] : "0";
        return $"{sign}{digits[0]}.{rest}E{(pointPosition - 1).ToString(CultureInfo.InvariantCulture)}";
    }
}
