namespace Gpuvmsim.Configuration;

/// <summary>
/// Durations and byte sizes in HOCON's units format (HOCON.md, "Units format", "Duration format", "Size in bytes
/// format"): a number, optional whitespace, an optional unit of letters. A bare number is in the family's default
/// unit: milliseconds for durations, bytes for sizes. Duration units are lower-case only; size units are exactly
/// the spec's list, where single letters and the <c>Ki</c>/<c>KiB</c> forms are powers of two and <c>kB</c> forms powers of ten.
/// </summary>
internal static class UnitParser
{
    private const string DurationUnits = "ns, us, ms, s, m, h, d or their long forms";
    private const string SizeUnits = "B, K/KiB (1024), kB (1000), M/MiB, MB, G/GiB, GB, T/TiB, TB ... or their long forms";

    private static readonly Dictionary<string, decimal> NanosPerUnit = BuildDurationUnits();
    private static readonly Dictionary<string, decimal> BytesPerUnit = BuildSizeUnits();

    public static TimeSpan Duration(HoconValue value, string path)
    {
        decimal nanos = Parse(value, path, NanosPerUnit, defaultUnit: 1_000_000m, "duration", DurationUnits);
        decimal ticks = decimal.Truncate(nanos / 100m);
        return ticks >= TimeSpan.MinValue.Ticks && ticks <= TimeSpan.MaxValue.Ticks
            ? TimeSpan.FromTicks((long)ticks)
            : throw ConfigErrors.OutOfRange(value.Origin, path, Text(value), "a duration");
    }

    public static long ByteSize(HoconValue value, string path)
    {
        decimal bytes = decimal.Truncate(Parse(value, path, BytesPerUnit, defaultUnit: 1m, "size in bytes", SizeUnits));
        return bytes is >= long.MinValue and <= long.MaxValue
            ? (long)bytes
            : throw ConfigErrors.OutOfRange(value.Origin, path, Text(value), "a 64-bit size in bytes");
    }

    private static decimal Parse(HoconValue value, string path, Dictionary<string, decimal> units, decimal defaultUnit, string family, string unitList)
    {
        if (value is HoconNumber number)
            return Scale(number, defaultUnit, value, path, family, unitList);
        if (value is not HoconString s)
            throw ConfigErrors.WrongType(value.Origin, path, $"a {family}", value);

        string text = s.Value.Trim();
        int unitStart = text.Length;
        while (unitStart > 0 && char.IsLetter(text[unitStart - 1]))
            unitStart--;
        string numberText = text[..unitStart].TrimEnd();
        string unit = text[unitStart..];
        var parsed = HoconNumber.TryParse(s.Origin, numberText);
        if (parsed is null)
            throw ConfigErrors.BadUnitValue(value.Origin, path, family, s.Value, unitList);
        decimal factor = defaultUnit;
        if (unit.Length > 0 && !units.TryGetValue(unit, out factor))
            throw ConfigErrors.BadUnitValue(value.Origin, path, family, s.Value, unitList);
        return Scale(parsed, factor, value, path, family, unitList);
    }

    private static decimal Scale(HoconNumber number, decimal factor, HoconValue value, string path, string family, string unitList)
    {
        try
        {
            return number.IsIntegral ? number.LongValue * factor : (decimal)number.DoubleValue * factor;
        }
        catch (OverflowException)
        {
            throw ConfigErrors.OutOfRange(value.Origin, path, Text(value), $"a {family}");
        }
        catch (ArgumentException)
        {
            throw ConfigErrors.BadUnitValue(value.Origin, path, family, Text(value), unitList);
        }
    }

    private static string Text(HoconValue value) => value is HoconString or HoconNumber ? Concatenator.TextOf(value) : value.Type.ToString();

    private static Dictionary<string, decimal> BuildDurationUnits()
    {
        var units = new Dictionary<string, decimal>(StringComparer.Ordinal);
        void Add(decimal nanos, params string[] names)
        {
            foreach (var name in names)
                units.Add(name, nanos);
        }
        Add(1m, "ns", "nano", "nanos", "nanosecond", "nanoseconds");
        Add(1_000m, "us", "micro", "micros", "microsecond", "microseconds");
        Add(1_000_000m, "ms", "milli", "millis", "millisecond", "milliseconds");
        Add(1_000_000_000m, "s", "second", "seconds");
        Add(60_000_000_000m, "m", "minute", "minutes");
        Add(3_600_000_000_000m, "h", "hour", "hours");
        Add(86_400_000_000_000m, "d", "day", "days");
        return units;
    }

    private static Dictionary<string, decimal> BuildSizeUnits()
    {
        var units = new Dictionary<string, decimal>(StringComparer.Ordinal) { ["B"] = 1, ["b"] = 1, ["byte"] = 1, ["bytes"] = 1 };
        string[] decimalPrefixes = ["kilo", "mega", "giga", "tera", "peta", "exa", "zetta", "yotta"];
        string[] binaryPrefixes = ["kibi", "mebi", "gibi", "tebi", "pebi", "exbi", "zebi", "yobi"];
        string letters = "KMGTPEZY";
        decimal powerOfTen = 1, powerOfTwo = 1;
        for (int i = 0; i < letters.Length; i++)
        {
            powerOfTen *= 1000;
            powerOfTwo *= 1024;
            char upper = letters[i];
            string si = (upper == 'K' ? "k" : upper.ToString()) + "B";
            units.Add(si, powerOfTen);
            units.Add(decimalPrefixes[i] + "byte", powerOfTen);
            units.Add(decimalPrefixes[i] + "bytes", powerOfTen);
            foreach (var name in new[] { upper.ToString(), char.ToLowerInvariant(upper).ToString(), $"{upper}i", $"{upper}iB", binaryPrefixes[i] + "byte", binaryPrefixes[i] + "bytes" })
                units.Add(name, powerOfTwo);
        }
        return units;
    }
}
