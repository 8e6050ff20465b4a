using System.Text;

namespace Gpuvmsim.Configuration;

/// <summary>One key of a path expression and where it was written.</summary>
internal readonly record struct PathKey(string Key, ConfigOrigin Origin);

/// <summary>
/// Turns the tokens of a key or of a substitution into path keys (HOCON.md, "Path expressions"):
/// unquoted dots separate keys, quoted text never does, whitespace between tokens is kept, leading and
/// trailing whitespace is not, and an empty key must be quoted.
/// </summary>
internal static class PathExpressionParser
{
    /// <summary>Parses a path given as a string, as getters receive it.</summary>
    public static HoconPath Parse(string expression)
    {
        var tokens = Tokenizer.Tokenize(expression, "<path>");
        var pieces = tokens.Where(t => t.Kind != TokenKind.End).ToList();
        var bad = pieces.FirstOrDefault(t => !t.IsKeyPiece);
        if (bad?.Error is not null)
            throw bad.Error;
        if (bad is not null)
            throw ConfigErrors.InvalidPathExpression(bad.Origin, expression, bad.Describe());
        return new HoconPath(Build(pieces, new ConfigOrigin("<path>", 1, 1)).Select(k => k.Key));
    }

    /// <summary>
    /// The keys spelled by <paramref name="pieces"/> (quoted, unquoted, number, keyword and whitespace tokens; any
    /// other token, which only a substitution can hold, is an error). <paramref name="where"/> is reported when there
    /// are no pieces at all.
    /// </summary>
    public static List<PathKey> Build(IReadOnlyList<Token> pieces, ConfigOrigin where)
    {
        var bad = pieces.FirstOrDefault(t => !t.IsKeyPiece);
        if (bad is not null)
            throw ConfigErrors.InvalidInSubstitution(bad.Origin, bad.Describe());
        int first = 0, last = pieces.Count - 1;
        while (first <= last && pieces[first].Kind == TokenKind.Whitespace)
            first++;
        while (last >= first && pieces[last].Kind == TokenKind.Whitespace)
            last--;
        if (first > last)
            throw ConfigErrors.EmptyPath(where);

        var keys = new List<PathKey>();
        var key = new StringBuilder();
        bool hasContent = false;
        ConfigOrigin keyOrigin = pieces[first].Origin;
        for (int p = first; p <= last; p++)
        {
            var token = pieces[p];
            if (token.Kind == TokenKind.Quoted)
            {
                if (!hasContent)
                    keyOrigin = token.Origin;
                key.Append(token.Text);
                hasContent = true;
                continue;
            }
            for (int i = 0; i < token.Text.Length; i++)
            {
                var at = token.Origin with { Column = token.Origin.Column + i };
                if (token.Text[i] != '.')
                {
                    if (!hasContent)
                        keyOrigin = at;
                    key.Append(token.Text[i]);
                    hasContent = true;
                    continue;
                }
                if (!hasContent)
                    throw ConfigErrors.EmptyPathElement(at);
                keys.Add(new PathKey(key.ToString(), keyOrigin));
                key.Clear();
                hasContent = false;
                keyOrigin = at with { Column = at.Column + 1 };
            }
        }
        if (!hasContent)
            throw ConfigErrors.EmptyPathElement(keyOrigin);
        keys.Add(new PathKey(key.ToString(), keyOrigin));
        return keys;
    }
}
