namespace Gpuvmsim.Configuration;

/// <summary>
/// Reads a <c>.json</c> file strictly, as the reference implementation does for files it knows to be JSON (by their
/// extension): quoted keys followed by <c>:</c>, values separated by commas only, no comments, unquoted text,
/// substitutions, includes, concatenations, trailing commas or duplicate keys. Its tokens are HOCON's, so the
/// same quoted strings and numbers are accepted.
/// </summary>
internal sealed class JsonParser
{
    private readonly List<Token> _tokens;
    private int _pos;
    private int _nesting;

    private JsonParser(List<Token> tokens) => _tokens = tokens;

    public static HoconObject ParseDocument(string text, string sourceName)
    {
        var parser = new JsonParser(Tokenizer.Tokenize(text, sourceName, json: true));
        return parser.ParseRoot();
    }

    private Token Peek
    {
        get
        {
            while (_tokens[_pos].Kind is TokenKind.Whitespace or TokenKind.Newline)
                _pos++;
            return _tokens[_pos] is { Kind: TokenKind.Error } bad ? throw bad.Error! : _tokens[_pos];
        }
    }

    private Token Take()
    {
        var token = Peek;
        _pos++;
        return token;
    }

    private HoconObject ParseRoot()
    {
        var first = Take();
        HoconValue root = first.Kind switch
        {
            TokenKind.OpenBrace => ParseObject(first),
            TokenKind.OpenBracket => ParseArray(first),
            _ => throw ConfigErrors.JsonRootNotContainer(first.Origin, first.Describe()),
        };
        if (Peek.Kind != TokenKind.End)
            throw ConfigErrors.UnexpectedAfterRoot(Peek.Origin, Peek.Describe());
        return root as HoconObject ?? throw ConfigErrors.RootNotObject(first.Origin);
    }

    private HoconObject ParseObject(Token open)
    {
        var fields = new List<HoconField>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        if (Peek.Kind == TokenKind.CloseBrace)
        {
            _pos++;
            return new HoconObject(open.Origin, fields);
        }
        while (true)
        {
            var key = Take();
            if (key.Kind != TokenKind.Quoted)
                throw Unexpected(key, "a quoted key");
            if (!seen.Add(key.Text))
                throw ConfigErrors.JsonDuplicateKey(key.Origin, key.Text);
            var colon = Take();
            if (colon.Kind != TokenKind.Colon)
                throw Unexpected(colon, "':' after the key");
            fields.Add(new HoconField(key.Text, ParseValue(), key.Origin));
            if (AfterElement(TokenKind.CloseBrace))
                return new HoconObject(open.Origin, fields);
        }
    }

    private HoconArray ParseArray(Token open)
    {
        var items = new List<HoconValue>();
        if (Peek.Kind == TokenKind.CloseBracket)
        {
            _pos++;
            return new HoconArray(open.Origin, items);
        }
        while (true)
        {
            items.Add(ParseValue());
            if (AfterElement(TokenKind.CloseBracket))
                return new HoconArray(open.Origin, items);
        }
    }

    /// <summary>True at the closing token; false after a comma, which another element must follow.</summary>
    private bool AfterElement(TokenKind closing)
    {
        var token = Take();
        if (token.Kind == closing)
            return true;
        if (token.Kind != TokenKind.Comma)
            throw Unexpected(token, closing == TokenKind.CloseBrace ? "',' or '}'" : "',' or ']'");
        if (Peek.Kind is TokenKind.Comma or TokenKind.CloseBrace or TokenKind.CloseBracket)
            throw Unexpected(Peek, "another element after ','");
        return false;
    }

    private HoconValue ParseValue()
    {
        var token = Take();
        return token.Kind switch
        {
            TokenKind.Quoted => new HoconString(token.Origin, token.Text),
            TokenKind.Number => token.Number!,
            TokenKind.True => new HoconBoolean(token.Origin, true),
            TokenKind.False => new HoconBoolean(token.Origin, false),
            TokenKind.Null => new HoconNull(token.Origin),
            TokenKind.OpenBrace or TokenKind.OpenBracket => ParseNested(token),
            _ => throw Unexpected(token, "a value"),
        };
    }

    private HoconValue ParseNested(Token open)
    {
        if (++_nesting > Documents.MaxNesting)
            throw ConfigErrors.NestedTooDeep(open.Origin);
        HoconValue value = open.Kind == TokenKind.OpenBrace ? ParseObject(open) : ParseArray(open);
        _nesting--;
        return value;
    }

    private static ConfigException Unexpected(Token token, string expected) => token.Kind switch
    {
        TokenKind.Unquoted => ConfigErrors.NotJson(token.Origin, $"unquoted text '{token.Text}'"),
        TokenKind.Substitution => ConfigErrors.NotJson(token.Origin, "a substitution"),
        _ => ConfigErrors.JsonUnexpected(token.Origin, expected, token.Describe()),
    };
}
