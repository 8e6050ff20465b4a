using System.Globalization;
using System.Text;

namespace Gpuvmsim.Configuration;

/// <summary>
/// Reads a <c>.properties</c> file as the reference implementation does: Java's properties syntax (<c>key = value</c>,
/// <c>key: value</c> or <c>key value</c>, <c>#</c> and <c>!</c> comments, a trailing backslash continuing the line,
/// backslash escapes), every value a string, every key a path split at each dot. When a key is also the start of
/// longer keys (<c>a</c> and <c>a.b</c>), the object wins; when a key repeats, the last one wins.
/// </summary>
internal static class PropertiesParser
{
    public static HoconObject ParseDocument(string text, string sourceName)
    {
        var entries = new Dictionary<string, HoconString>(StringComparer.Ordinal);
        foreach (var (line, number) in LogicalLines(text))
        {
            var origin = new ConfigOrigin(sourceName, number, 1);
            var (key, value) = SplitEntry(line, origin);
            entries[key] = new HoconString(origin, value);
        }
        return Build(entries, new ConfigOrigin(sourceName, 1, 1));
    }

    private static bool IsBlank(char c) => c is ' ' or '\t' or '\f';

    /// <summary>The logical lines (continuations joined, comments and blank lines dropped) and where each starts.</summary>
    private static IEnumerable<(string Line, int Number)> LogicalLines(string text)
    {
        // Only \n, \r and \r\n end a line in Java's properties (a form feed is a blank).
        var naturalLines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n', '\r');
        var logical = new StringBuilder();
        int start = 0;
        bool continuing = false;
        for (int n = 0; n < naturalLines.Length; n++)
        {
            string line = naturalLines[n].TrimStart(' ', '\t', '\f');
            if (!continuing)
            {
                if (line.Length == 0 || line[0] is '#' or '!')
                    continue;
                start = n + 1;
            }
            int backslashes = line.Length - line.TrimEnd('\\').Length;
            continuing = backslashes % 2 == 1;
            logical.Append(continuing ? line[..^1] : line);
            if (continuing && n < naturalLines.Length - 1)
                continue;
            yield return (logical.ToString(), start);
            logical.Clear();
            continuing = false;
        }
    }

    /// <summary>The key ends at the first unescaped '=', ':' or blank; one '=' or ':' may follow the blanks after it.</summary>
    private static (string Key, string Value) SplitEntry(string line, ConfigOrigin origin)
    {
        int keyEnd = 0;
        bool escaped = false;
        while (keyEnd < line.Length && (escaped || (line[keyEnd] is not ('=' or ':') && !IsBlank(line[keyEnd]))))
        {
            escaped = line[keyEnd] == '\\' && !escaped;
            keyEnd++;
        }
        int valueStart = keyEnd;
        bool separatorSeen = false;
        while (valueStart < line.Length)
        {
            char c = line[valueStart];
            if (c is '=' or ':' && !separatorSeen)
                separatorSeen = true;
            else if (!IsBlank(c))
                break;
            valueStart++;
        }
        return (Unescape(line[..keyEnd], origin), Unescape(line[valueStart..], origin));
    }

    private static string Unescape(string text, ConfigOrigin origin)
    {
        var sb = new StringBuilder(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] != '\\')
            {
                sb.Append(text[i]);
                continue;
            }
            // A lone backslash at the very end (the file's last line continued into nothing) is dropped.
            if (i == text.Length - 1)
                break;
            char e = text[++i];
            switch (e)
            {
                case 't': sb.Append('\t'); break;
                case 'n': sb.Append('\n'); break;
                case 'r': sb.Append('\r'); break;
                case 'f': sb.Append('\f'); break;
                case 'u':
                    if (i + 4 >= text.Length
                        || !ushort.TryParse(text.AsSpan(i + 1, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ushort code))
                        throw ConfigErrors.BadUnicodeEscape(origin);
                    sb.Append((char)code);
                    i += 4;
                    break;
                default: sb.Append(e); break;
            }
        }
        return sb.ToString();
    }

    /// <summary>Each key a path of nested objects, merged as duplicate HOCON keys are (<see cref="FieldAccumulator"/>).</summary>
    private static HoconObject Build(Dictionary<string, HoconString> entries, ConfigOrigin origin)
    {
        var paths = entries.Keys.ToDictionary(k => k, k => k.Split('.'), StringComparer.Ordinal);
        foreach (var (key, parts) in paths)
        {
            if (parts.Length > Documents.MaxNesting)
                throw ConfigErrors.NestedTooDeep(entries[key].Origin);
        }
        var prefixes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var parts in paths.Values)
            for (int i = 1; i < parts.Length; i++)
                prefixes.Add(string.Join('.', parts[..i]));
        // With the keys that prefix others dropped, every merge is of two objects.
        var fields = new FieldAccumulator();
        foreach (var (key, value) in entries)
        {
            if (prefixes.Contains(key))
                continue;
            var parts = paths[key];
            HoconValue nested = value;
            for (int i = parts.Length - 1; i > 0; i--)
                nested = new HoconObject(value.Origin, [new HoconField(parts[i], nested, value.Origin)]);
            fields.Add(parts[0], nested, value.Origin);
        }
        return fields.ToObject(origin);
    }
}
