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
    /// <summary>Objects, arrays and path-key levels enclosing the current value, from the root of the whole configuration.</summary>
    private int _nesting;
    /// <summary>
    /// The first fault found while building values (a concatenation, an include, <c>+=</c> in an array). The reference
    /// checks the syntax of the whole document before it builds any value, so a syntax error anywhere is reported first.
    /// </summary>
    private ConfigException? _deferred;

    private Parser(List<Token> tokens, IncludeContext context, HoconPath prefix)
    {
        _tokens = tokens;
        _context = context;
        _prefix = prefix;
        _nesting = prefix.Length;
    }

    /// <summary>Enters <paramref name="levels"/> more levels of nesting; leave them with <see cref="Unnest"/>.</summary>
    private void Nest(ConfigOrigin at, int levels)
    {
        _nesting += levels;
        if (_nesting > Documents.MaxNesting)
            throw ConfigErrors.NestedTooDeep(at);
    }

    private void Unnest(int levels) => _nesting -= levels;

    /// <summary>
    /// Parses <paramref name="text"/> as a document whose root must be an object.
    /// <paramref name="prefix"/> is the path the document is included at, so its substitutions can be fixed up.
    /// </summary>
    public static HoconObject ParseDocument(string text, IncludeContext context, HoconPath prefix)
    {
        var parser = new Parser(Tokenizer.Tokenize(text, context.SourceName), context, prefix);
        var root = parser.ParseRoot();
        return parser._deferred is null ? root : throw parser._deferred;
    }

    /// <summary>The current token; a lexical error is thrown when the parser reaches it.</summary>
    private Token Peek => _tokens[_pos] is { Kind: TokenKind.Error } bad ? throw bad.Error! : _tokens[_pos];

    private Token Take()
    {
        var token = Peek;
        _pos++;
        return token;
    }

    private void Defer(ConfigException error) => _deferred ??= error;

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
        {
            // Like the reference, check the array's syntax (and build it) before refusing it.
            ParseArray();
            ExpectEndAfterRoot();
            Defer(ConfigErrors.RootNotObject(first.Origin));
            return HoconObject.Empty(first.Origin);
        }
        if (first.Kind != TokenKind.OpenBrace)
            return ParseObjectBody(open: null, new ConfigOrigin(_context.SourceName, 1, 1));
        var root = ParseObjectBody(Take(), first.Origin);
        ExpectEndAfterRoot();
        return root;
    }

    private void ExpectEndAfterRoot()
    {
        SkipWhitespaceAndNewlines();
        if (Peek.Kind != TokenKind.End)
            throw ConfigErrors.UnexpectedAfterRoot(Peek.Origin, Peek.Describe());
    }

    /// <summary>The fields of an object up to its closing brace, or to the end of the text when the root omits braces.</summary>
    private HoconObject ParseObjectBody(Token? open, ConfigOrigin origin)
    {
        var levels = open is null ? 0 : 1;
        Nest(origin, levels);
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
                    throw ConfigErrors.UnterminatedObject(token.Origin, open.Origin);
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
        Unnest(levels);
        return fields.ToObject(origin);
    }

    /// <summary>
    /// After a field or an element: a comma (not two), newlines, newlines then a comma (one separator, as in the
    /// reference), or the closing token.
    /// </summary>
    private void ExpectSeparatorAfter(TokenKind closing, string what)
    {
        SkipWhitespace();
        bool sawNewline = Peek.Kind == TokenKind.Newline;
        SkipWhitespaceAndNewlines();
        var token = Peek;
        if (token.Kind == TokenKind.Comma)
        {
            _pos++;
            SkipWhitespaceAndNewlines();
            if (Peek.Kind == TokenKind.Comma)
                throw ConfigErrors.UnexpectedComma(Peek.Origin);
            return;
        }
        if (sawNewline || token.Kind == TokenKind.End || token.Kind == closing)
            return;
        throw ConfigErrors.ExpectedSeparator(token.Origin, what, token.Describe());
    }

    private void ParseField(FieldAccumulator fields)
    {
        var start = Peek;
        var keyTokens = new List<Token>();
        while (Peek.IsKeyPiece)
            keyTokens.Add(Take());
        var afterKey = Peek;
        if (keyTokens.Count == 0 || keyTokens.All(t => t.Kind == TokenKind.Whitespace))
            throw afterKey.Kind == TokenKind.Substitution
                ? ConfigErrors.SubstitutionInKey(afterKey.Origin)
                : ConfigErrors.ExpectedKey(afterKey.Origin, afterKey.Describe());
        var keys = PathExpressionParser.Build(keyTokens, start.Origin);
        // The reference lets the separator (or the object) follow the key on a later line.
        SkipWhitespaceAndNewlines();
        var separator = Peek;
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
        Nest(start.Origin, keys.Count - 1);
        HoconValue value;
        if (append)
        {
            if (_arrayDepth > 0)
                Defer(ConfigErrors.PlusEqualsInArray(separator.Origin));
            value = AppendToPrevious(separator.Origin, ParseAppendedValue());
        }
        else
        {
            // Without a separator the value is that one object: the reference accepts no concatenation after it.
            value = separator.Kind == TokenKind.OpenBrace ? ParseObjectBody(Take(), separator.Origin) : ParseValue();
        }
        Unnest(keys.Count - 1);
        _keyStack.RemoveRange(_keyStack.Count - keys.Count, keys.Count);

        // The objects a path key implies (a.b = v is a { b = v }) are placed where v is, as in the reference.
        var valueOrigin = value.Origin;
        for (int i = keys.Count - 1; i > 0; i--)
            value = new HoconObject(valueOrigin, [new HoconField(keys[i].Key, value, keys[i].Origin)]);
        fields.Add(keys[0].Key, value, keys[0].Origin);
    }

    /// <summary>The value after <c>+=</c>, which becomes an array element: what is inside it is inside an array.</summary>
    private HoconValue ParseAppendedValue()
    {
        _arrayDepth++;
        var value = ParseValue();
        _arrayDepth--;
        return value;
    }

    /// <summary><c>a += v</c> means <c>a = ${?a} [v]</c> (HOCON.md, "The += field separator"); the path is absolute.</summary>
    private HoconValue AppendToPrevious(ConfigOrigin at, HoconValue value)
    {
        var self = new Substitution(at, _prefix.Concat(new HoconPath(_keyStack)), optional: true, _prefix.Length);
        return new Concatenation(at, [self, new HoconArray(value.Origin, [value])]);
    }

    /// <summary>
    /// One value: the simple values, substitutions, objects and arrays on one line, concatenated (HOCON.md, "Value
    /// concatenation"). Whitespace is a piece only between two simple values (<c>a b</c>, <c>${x} y</c>); next to an
    /// object or array it is layout, as in the reference's tokenizer.
    /// </summary>
    private HoconValue ParseValue()
    {
        var pieces = new List<HoconValue>();
        bool afterSimpleValue = false;
        while (true)
        {
            var token = Peek;
            if (token.Kind == TokenKind.Whitespace)
            {
                _pos++;
                if (afterSimpleValue && Peek.IsSimpleValue)
                    pieces.Add(new HoconString(token.Origin, token.Text, isUnquoted: true));
                continue;
            }
            HoconValue? piece = token.Kind switch
            {
                TokenKind.Quoted => new HoconString(token.Origin, token.Text),
                TokenKind.Unquoted => new HoconString(token.Origin, token.Text, isUnquoted: true),
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
            }
            else if (token.Kind == TokenKind.OpenBrace)
            {
                _pos++;
                piece = ParseObjectBody(token, token.Origin);
            }
            else if (token.Kind == TokenKind.OpenBracket)
            {
                piece = ParseArray();
            }
            else
            {
                break;
            }
            afterSimpleValue = token.IsSimpleValue;
            pieces.Add(piece);
        }
        if (pieces.Count == 0)
            throw ConfigErrors.ExpectedValue(Peek.Origin, Peek.Describe());
        return pieces.Count == 1 ? pieces[0] : Concatenate(pieces);
    }

    /// <summary>
    /// Joins neighbouring pieces that are not substitutions now, as the reference does while parsing; what remains
    /// waits for the resolver. A piece that cannot be joined is dropped after recording the fault.
    /// </summary>
    private HoconValue Concatenate(List<HoconValue> pieces)
    {
        var joined = new List<HoconValue>(pieces.Count);
        foreach (var piece in pieces)
        {
            if (joined.Count == 0 || joined[^1] is Substitution || piece is Substitution)
            {
                joined.Add(piece);
                continue;
            }
            try
            {
                joined[^1] = Concatenator.JoinTwo(joined[^1], piece);
            }
            catch (ConfigException e)
            {
                Defer(e);
            }
        }
        return joined.Count == 1 ? joined[0] : new Concatenation(joined[0].Origin, joined);
    }

    /// <summary>The substitution of <paramref name="token"/>; its path is checked now, while values are built, as the reference does.</summary>
    private Substitution MakeSubstitution(Token token)
    {
        List<PathKey> path;
        try
        {
            path = PathExpressionParser.Build(token.PathTokens, token.Origin);
        }
        catch (ConfigException e)
        {
            Defer(e);
            path = [];
        }
        return new Substitution(token.Origin, _prefix.Concat(new HoconPath(path.Select(k => k.Key))), token.Optional, _prefix.Length);
    }

    private HoconArray ParseArray()
    {
        var open = Take();
        Nest(open.Origin, 1);
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
                throw ConfigErrors.UnterminatedArray(token.Origin, open.Origin);
            if (token.Kind == TokenKind.Comma)
                throw ConfigErrors.UnexpectedComma(token.Origin);
            items.Add(ParseValue());
            ExpectSeparatorAfter(closing: TokenKind.CloseBracket, "an array element");
            if (Peek.Kind == TokenKind.End)
                throw ConfigErrors.UnterminatedArray(Peek.Origin, open.Origin);
        }
        _arrayDepth--;
        Unnest(1);
        return new HoconArray(open.Origin, items);
    }
}
