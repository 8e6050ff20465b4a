using System.Globalization;

namespace Gpuvmsim.Configuration;

/// <summary>
/// Java's <c>Integer.parseInt(text, radix)</c>, which the reference uses for <c>\uXXXX</c> escapes and for the keys of
/// objects read as arrays: an optional sign, then digits as <c>Character.digit</c> reads them (any Unicode decimal
/// digit, and Latin letters, ASCII or full-width, for values from 10).
/// </summary>
internal static class JavaInteger
{
    public static bool TryParse(string text, int radix, out int value)
    {
        value = 0;
        bool negative = text.Length > 0 && text[0] == '-';
        int start = text.Length > 0 && text[0] is '+' or '-' ? 1 : 0;
        if (start == text.Length)
            return false;
        long magnitude = 0;
        for (int i = start; i < text.Length; i++)
        {
            int digit = Digit(text[i], radix);
            if (digit < 0)
                return false;
            magnitude = magnitude * radix + digit;
            if (magnitude > int.MaxValue + 1L)
                return false;
        }
        long signed = negative ? -magnitude : magnitude;
        if (signed > int.MaxValue)
            return false;
        value = (int)signed;
        return true;
    }

    /// <summary>Java's <c>Character.digit(c, radix)</c>: the value of <paramref name="c"/> as a digit, or -1.</summary>
    private static int Digit(char c, int radix)
    {
        int value = CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.DecimalDigitNumber
            ? CharUnicodeInfo.GetDecimalDigitValue(c)
            : c switch
            {
                >= 'a' and <= 'z' => c - 'a' + 10,
                >= 'A' and <= 'Z' => c - 'A' + 10,
                >= '\uFF41' and <= '\uFF5A' => c - '\uFF41' + 10,
                >= '\uFF21' and <= '\uFF3A' => c - '\uFF21' + 10,
                _ => -1,
            };
        return value < radix ? value : -1;
    }
}
