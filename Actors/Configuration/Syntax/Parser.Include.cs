namespace Gpuvmsim.Configuration;

/// <summary>The include statement: <c>include "f"</c>, <c>include file("f")</c>, <c>include required(file("f"))</c>.</summary>
internal sealed partial class Parser
{
    private static bool IsIncludeKeyword(Token token) => token.Kind == TokenKind.Unquoted && token.Text == "include";

    private void ParseInclude(FieldAccumulator fields)
    {
        var keyword = Take();
        SkipWhitespaceAndNewlines();
        var reader = new IncludeSpecReader(this, keyword.Origin);
        var spec = reader.Read();
        HoconObject? included;
        try
        {
            included = IncludeLoader.Load(spec, _context, _prefix.Concat(new HoconPath(_keyStack)));
        }
        catch (ConfigException e)
        {
            Defer(e);
            return;
        }
        if (included is null)
            return;
        // The reference cannot resolve an included file's substitutions inside an array element, and says so.
        if (_arrayDepth > 0 && !included.IsResolved)
            Defer(ConfigErrors.IncludeInArrayWithSubstitutions(keyword.Origin));
        foreach (var field in included.Fields)
            fields.Add(field.Key, field.Value, field.Origin);
    }

    /// <summary>
    /// Reads the resource after <c>include</c>. The tokenizer leaves <c>required(file(</c> as unquoted text
    /// (parentheses are not reserved), so this reader splits unquoted tokens into words and parentheses.
    /// </summary>
    private sealed class IncludeSpecReader(Parser parser, ConfigOrigin includeOrigin)
    {
        private string _pending = "";
        private ConfigOrigin _pendingOrigin = includeOrigin;

        public IncludeSpec Read()
        {
            var (word, origin) = NextLexeme();
            IncludeSpec spec;
            if (word == "required")
            {
                ExpectOpenParenthesis(word);
                spec = ReadInner(NextLexeme()) with { Required = true };
                Expect(")");
            }
            else
            {
                spec = ReadInner((word, origin));
            }
            if (_pending.Length > 0)
                throw ConfigErrors.BadInclude(_pendingOrigin, $"unexpected '{_pending}' after the included resource");
            return spec;
        }

        /// <summary><c>"name"</c> or <c>file("name")</c>, <c>url("name")</c>, <c>classpath("name")</c>.</summary>
        private IncludeSpec ReadInner((string? Word, ConfigOrigin Origin) lexeme)
        {
            if (lexeme.Word is null)
                return new IncludeSpec(IncludeKind.Heuristic, LastQuoted, lexeme.Origin, Required: false);
            var kind = lexeme.Word switch
            {
                "file" => IncludeKind.File,
                "url" => IncludeKind.Url,
                "classpath" => IncludeKind.Classpath,
                _ => throw ConfigErrors.BadInclude(lexeme.Origin,
                    $"expected a quoted file name, file(\"...\"), url(\"...\"), classpath(\"...\") or required(...) after include, got '{lexeme.Word}'"),
            };
            ExpectOpenParenthesis(lexeme.Word);
            var (name, origin) = NextLexeme();
            if (name is not null)
                throw ConfigErrors.BadInclude(origin, $"{lexeme.Word}(...) takes a quoted string, got '{name}'");
            var spec = new IncludeSpec(kind, LastQuoted, lexeme.Origin, Required: false);
            Expect(")");
            return spec;
        }

        private string LastQuoted { get; set; } = "";

        /// <summary>The '(' after <paramref name="word"/>, which must touch it, as the reference requires.</summary>
        private void ExpectOpenParenthesis(string word)
        {
            if (_pending.Length == 0)
                throw ConfigErrors.BadInclude(_pendingOrigin, $"no space is allowed between '{word}' and '('");
            Expect("(");
        }

        private void Expect(string punctuation)
        {
            var (word, origin) = NextLexeme();
            if (word != punctuation)
                throw ConfigErrors.BadInclude(origin, $"expected '{punctuation}' in include, got {(word is null ? "a quoted string" : $"'{word}'")}");
        }

        /// <summary>The next word, '(' or ')' (as text), or a quoted string (null word, text in <see cref="LastQuoted"/>).</summary>
        private (string? Word, ConfigOrigin Origin) NextLexeme()
        {
            if (_pending.Length == 0)
            {
                parser.SkipWhitespaceAndNewlines();
                var token = parser.Peek;
                if (token.Kind == TokenKind.Quoted)
                {
                    parser._pos++;
                    LastQuoted = token.Text;
                    return (null, token.Origin);
                }
                if (token.Kind != TokenKind.Unquoted)
                    throw ConfigErrors.BadInclude(token.Origin, $"include must be followed by a quoted file name, got {token.Describe()}");
                parser._pos++;
                _pending = token.Text;
                _pendingOrigin = token.Origin;
            }
            int length = _pending[0] is '(' or ')' ? 1 : _pending.IndexOfAny(['(', ')']) is var p && p > 0 ? p : _pending.Length;
            var lexeme = (_pending[..length], _pendingOrigin);
            _pending = _pending[length..];
            _pendingOrigin = _pendingOrigin with { Column = _pendingOrigin.Column + length };
            return lexeme;
        }
    }
}
