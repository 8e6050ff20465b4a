namespace Gpuvmsim.Configuration;

/// <summary>
/// Builds the unresolved tree of one HOCON document from its tokens (Lightbend HOCON.md, "Syntax").
/// Duplicate keys are merged as they are met (<see cref="Merger"/>); values that hold substitutions stay
/// unresolved until <see cref="Resolver"/> runs on the whole configuration. Includes are read on the
/// spot by <see cref="IncludeLoader"/> and their fields merged where the include statement stands.
/// </summary>
internal sealed partial class Parser
{
    private readonly List<Token> _tokens;
    private readonly IncludeContext _context;
    /// <summary>The path of the include point this document is parsed at (empty for the top document).</summary>
    private readonly HoconPath _prefix;
    /// <summary>Keys of the objects enclosing the current field, from the document root; <c>+=</c> needs them.</summary>
    private readonly List<string> _keyStack = [];
    private int _pos;
    private int _arrayDepth;

    private Parser(List<Token> tokens, IncludeContext context, HoconPath prefix)
    {
        _tokens = tokens;
        _context = context;
        _prefix = prefix;
    }

    /// <summary>
    /// Parses <paramref name="text"/> as a document whose root must be an object.
    /// <paramref name="prefix"/> is the path the document is included at, so its substitutions can be fixed up.
    /// </summary>
    public static HoconObject ParseDocument(string text, IncludeContext context, HoconPath prefix)
    {
        var parser = new Parser(Tokenizer.Tokenize(text, context.SourceName), context, prefix);
        return parser.ParseRoot();
    }

    private Token Peek => _tokens[_pos];

    private Token Take() => _tokens[_pos++];

    private void SkipWhitespace()
    {
        while (Peek.Kind == TokenKind.Whitespace)
            _pos++;
    }

    private void SkipWhitespaceAndNewlines()
    {
        while (Peek.Kind is TokenKind.Whitespace or TokenKind.Newline)
            _pos++;
    }

    private HoconObject ParseRoot()
    {
        SkipWhitespaceAndNewlines();
        var first = Peek;
        if (first.Kind == TokenKind.OpenBracket)
            throw ConfigErrors.RootNotObject(first.Origin);
        if (first.Kind != TokenKind.OpenBrace)
            return ParseObjectBody(open: null, new ConfigOrigin(_context.SourceName, 1, 1));
        var root = ParseObjectBody(Take(), first.Origin);
        SkipWhitespaceAndNewlines();
        if (Peek.Kind != TokenKind.End)
            throw ConfigErrors.UnexpectedAfterRoot(Peek.Origin, Peek.Describe());
        return root;
    }

    /// <summary>The fields of an object up to its closing brace, or to the end of the text when the root omits braces.</summary>
    private HoconObject ParseObjectBody(Token? open, ConfigOrigin origin)
    {
        var fields = new FieldAccumulator();
        while (true)
        {
            SkipWhitespaceAndNewlines();
            var token = Peek;
            if (token.Kind == TokenKind.CloseBrace)
            {
                if (open is null)
                    throw ConfigErrors.UnbalancedCloseBrace(token.Origin);
                _pos++;
                break;
            }
            if (token.Kind == TokenKind.End)
            {
                if (open is not null)
                    throw ConfigErrors.UnterminatedObject(open.Origin);
                break;
            }
            if (token.Kind == TokenKind.Comma)
                throw ConfigErrors.UnexpectedComma(token.Origin);
            if (IsIncludeKeyword(token))
                ParseInclude(fields);
            else
                ParseField(fields);
            ExpectSeparatorAfter(closing: TokenKind.CloseBrace, "a field");
        }
        return fields.ToObject(origin);
    }

    /// <summary>After a field or an element: a comma (not two), a newline, or the closing token.</summary>
    private void ExpectSeparatorAfter(TokenKind closing, string what)
    {
        SkipWhitespace();
        var token = Peek;
        if (token.Kind == TokenKind.Comma)
        {
            _pos++;
            SkipWhitespaceAndNewlines();
            if (Peek.Kind == TokenKind.Comma)
                throw ConfigErrors.UnexpectedComma(Peek.Origin);
            return;
        }
        if (token.Kind is TokenKind.Newline or TokenKind.End || token.Kind == closing)
            return;
        throw ConfigErrors.ExpectedSeparator(token.Origin, what, token.Describe());
    }

    private void ParseField(FieldAccumulator fields)
    {
        var start = Peek;
        var keyTokens = new List<Token>();
        while (Peek.IsKeyPiece)
            keyTokens.Add(Take());
        var separator = Peek;
        if (keyTokens.Count == 0 || keyTokens.All(t => t.Kind == TokenKind.Whitespace))
            throw separator.Kind == TokenKind.Substitution
                ? ConfigErrors.SubstitutionInKey(separator.Origin)
                : ConfigErrors.ExpectedKey(separator.Origin, separator.Describe());
        var keys = PathExpressionParser.Build(keyTokens, start.Origin);
        bool append = false;
        switch (separator.Kind)
        {
            case TokenKind.Colon or TokenKind.Equals:
                _pos++;
                break;
            case TokenKind.PlusEquals:
                _pos++;
                append = true;
                break;
            case TokenKind.OpenBrace:
                break;
            default:
                throw ConfigErrors.ExpectedKeySeparator(separator.Origin, string.Join('.', keys.Select(k => k.Key)), separator.Describe());
        }
        SkipWhitespaceAndNewlines();

        _keyStack.AddRange(keys.Select(k => k.Key));
        var value = ParseValue();
        if (append)
            value = AppendToPrevious(separator.Origin, value);
        _keyStack.RemoveRange(_keyStack.Count - keys.Count, keys.Count);

        for (int i = keys.Count - 1; i > 0; i--)
            value = new HoconObject(keys[i].Origin, [new HoconField(keys[i].Key, value, keys[i].Origin)]);
        fields.Add(keys[0].Key, value, keys[0].Origin);
    }

    /// <summary><c>a += v</c> means <c>a = ${?a} [v]</c> (HOCON.md, "The += field separator"); the path is absolute.</summary>
    private HoconValue AppendToPrevious(ConfigOrigin at, HoconValue value)
    {
        if (_arrayDepth > 0)
            throw ConfigErrors.PlusEqualsInArray(at);
        var self = new Substitution(at, _prefix.Concat(new HoconPath(_keyStack)), optional: true, _prefix.Length);
        return new Concatenation(at, [self, new HoconArray(value.Origin, [value])]);
    }

    /// <summary>
    /// One value: the simple values, substitutions, objects and arrays on one line, with the whitespace between
    /// them, concatenated (HOCON.md, "Value concatenation").
    /// </summary>
    private HoconValue ParseValue()
    {
        var pieces = new List<HoconValue>();
        bool hasSubstitution = false;
        while (true)
        {
            var token = Peek;
            HoconValue? piece = token.Kind switch
            {
                TokenKind.Whitespace => new HoconString(token.Origin, token.Text, isSeparator: true),
                TokenKind.Quoted or TokenKind.Unquoted => new HoconString(token.Origin, token.Text),
                TokenKind.Number => token.Number!,
                TokenKind.True => new HoconBoolean(token.Origin, true),
                TokenKind.False => new HoconBoolean(token.Origin, false),
                TokenKind.Null => new HoconNull(token.Origin),
                TokenKind.Substitution => MakeSubstitution(token),
                _ => null,
            };
            if (piece is not null)
            {
                _pos++;
                hasSubstitution |= piece is Substitution;
                pieces.Add(piece);
            }
            else if (token.Kind == TokenKind.OpenBrace)
            {
                _pos++;
                pieces.Add(ParseObjectBody(token, token.Origin));
            }
            else if (token.Kind == TokenKind.OpenBracket)
            {
                pieces.Add(ParseArray());
            }
            else
            {
                break;
            }
        }
        while (pieces.Count > 0 && pieces[^1] is HoconString { IsSeparator: true })
            pieces.RemoveAt(pieces.Count - 1);
        if (pieces.Count == 0)
            throw ConfigErrors.ExpectedValue(Peek.Origin, Peek.Describe());
        if (pieces.Count == 1)
            return pieces[0];
        // Without substitutions the pieces can be joined now, so type errors surface while parsing.
        return hasSubstitution || pieces.Any(p => !p.IsResolved)
            ? new Concatenation(pieces[0].Origin, pieces)
            : Concatenator.Join(pieces)!;
    }

    private Substitution MakeSubstitution(Token token)
    {
        var path = PathExpressionParser.Build(token.PathTokens, token.Origin);
        return new Substitution(token.Origin, _prefix.Concat(new HoconPath(path.Select(k => k.Key))), token.Optional, _prefix.Length);
    }

    private HoconArray ParseArray()
    {
        var open = Take();
        _arrayDepth++;
        var items = new List<HoconValue>();
        while (true)
        {
            SkipWhitespaceAndNewlines();
            var token = Peek;
            if (token.Kind == TokenKind.CloseBracket)
            {
                _pos++;
                break;
            }
            if (token.Kind == TokenKind.End)
                throw ConfigErrors.UnterminatedArray(open.Origin);
            if (token.Kind == TokenKind.Comma)
                throw ConfigErrors.UnexpectedComma(token.Origin);
            items.Add(ParseValue());
            ExpectSeparatorAfter(closing: TokenKind.CloseBracket, "an array element");
            if (Peek.Kind == TokenKind.End)
                throw ConfigErrors.UnterminatedArray(open.Origin);
        }
        _arrayDepth--;
        return new HoconArray(open.Origin, items);
    }
}
