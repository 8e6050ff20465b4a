using System.Globalization;
using System.Text;

namespace Gpuvmsim.Configuration;

/// <summary>
/// Splits HOCON text into tokens (Lightbend HOCON.md, "Syntax"): comments are dropped, whitespace runs and
/// newlines are kept because value concatenation and comma rules depend on them, numbers keep their text.
/// A lexical error ends the list with an <see cref="TokenKind.Error"/> token: like the reference implementation,
/// the parser reports it only when it gets there, so an earlier syntax error is reported first.
/// </summary>
internal sealed class Tokenizer
{
    private const string Forbidden = "$\"{}[]:=,+#`^?!@*&\\";
    private const string NumberChars = "0123456789eE+-.";

    private readonly string _text;
    private readonly string _source;
    /// <summary>Strict JSON has no comments: <c>#</c> is then a reserved character and <c>//</c> unquoted text.</summary>
    private readonly bool _json;
    private int _pos;
    private int _line = 1;
    private int _column = 1;

    private Tokenizer(string text, string source, bool json)
    {
        _text = text;
        _source = source;
        _json = json;
    }

    public static List<Token> Tokenize(string text, string source, bool json = false)
    {
        var tokenizer = new Tokenizer(text, source, json);
        var tokens = new List<Token>();
        Token token;
        do
        {
            try
            {
                token = tokenizer.Next();
            }
            catch (ConfigException e)
            {
                tokens.Add(new Token(TokenKind.Error, e.Origin, "") { Error = e });
                token = new Token(TokenKind.End, tokenizer.Here, "");
            }
            tokens.Add(token);
        }
        while (token.Kind != TokenKind.End);
        return tokens;
    }

    /// <summary>Whitespace as HOCON.md defines it: Java's whitespace plus non-breaking spaces and the BOM.</summary>
    public static bool IsHoconWhitespace(char c) => c switch
    {
        ' ' or '\t' or '\n' or '\v' or '\f' or '\r' or '\u001C' or '\u001D' or '\u001E' or '\u001F' or '\uFEFF' => true,
        _ => CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.SpaceSeparator
            or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator,
    };

    public static bool IsForbiddenInUnquoted(char c) => Forbidden.Contains(c);

    private ConfigOrigin Here => new(_source, _line, _column);

    private char Peek(int ahead = 0) => _pos + ahead < _text.Length ? _text[_pos + ahead] : '\0';

    private bool AtEnd => _pos >= _text.Length;

    private bool StartsWith(string s) => string.CompareOrdinal(_text, _pos, s, 0, s.Length) == 0;

    private char Advance()
    {
        char c = _text[_pos++];
        if (c == '\n')
        {
            _line++;
            _column = 1;
        }
        else
        {
            _column++;
        }
        return c;
    }

    private Token Next()
    {
        SkipComment();
        var origin = Here;
        if (AtEnd)
            return new Token(TokenKind.End, origin, "");
        char c = Peek();
        if (c == '\n')
        {
            Advance();
            return new Token(TokenKind.Newline, origin, "\n");
        }
        if (IsHoconWhitespace(c))
            return ReadWhitespace(origin);
        if (c == '"')
            return ReadQuoted(origin);
        switch (c)
        {
            case '{': Advance(); return new Token(TokenKind.OpenBrace, origin, "{");
            case '}': Advance(); return new Token(TokenKind.CloseBrace, origin, "}");
            case '[': Advance(); return new Token(TokenKind.OpenBracket, origin, "[");
            case ']': Advance(); return new Token(TokenKind.CloseBracket, origin, "]");
            case ',': Advance(); return new Token(TokenKind.Comma, origin, ",");
            case ':': Advance(); return new Token(TokenKind.Colon, origin, ":");
            case '=': Advance(); return new Token(TokenKind.Equals, origin, "=");
            case '+' when Peek(1) == '=':
                Advance();
                Advance();
                return new Token(TokenKind.PlusEquals, origin, "+=");
            case '$' when Peek(1) == '{':
                return ReadSubstitution(origin);
        }
        if (Forbidden.Contains(c))
            throw ConfigErrors.ReservedCharacter(origin, c);
        if (c == '-' || char.IsAsciiDigit(c))
            return ReadNumberOrText(origin);
        foreach (var (word, kind) in Keywords)
        {
            if (StartsWith(word))
            {
                for (int i = 0; i < word.Length; i++)
                    Advance();
                return new Token(kind, origin, word);
            }
        }
        return ReadUnquoted(origin);
    }

    private static readonly (string Word, TokenKind Kind)[] Keywords =
        [("true", TokenKind.True), ("false", TokenKind.False), ("null", TokenKind.Null)];

    private void SkipComment()
    {
        if (!_json && (Peek() == '#' || (Peek() == '/' && Peek(1) == '/')))
        {
            while (!AtEnd && Peek() != '\n')
                Advance();
        }
    }

    private Token ReadWhitespace(ConfigOrigin origin)
    {
        int start = _pos;
        while (!AtEnd && Peek() != '\n' && IsHoconWhitespace(Peek()))
            Advance();
        return new Token(TokenKind.Whitespace, origin, _text[start.._pos]);
    }

    private Token ReadUnquoted(ConfigOrigin origin)
    {
        int start = _pos;
        while (!AtEnd)
        {
            char c = Peek();
            if (IsHoconWhitespace(c) || Forbidden.Contains(c) || (!_json && c == '/' && Peek(1) == '/'))
                break;
            Advance();
        }
        return new Token(TokenKind.Unquoted, origin, _text[start.._pos]);
    }

    /// <summary>
    /// A leading '-' or digit starts a number: the longest run of number characters is taken and, when it
    /// is not a valid number after all (<c>1-2</c>, <c>1.2.3</c>, an integer beyond 64 bits), it is unquoted text.
    /// </summary>
    private Token ReadNumberOrText(ConfigOrigin origin)
    {
        int start = _pos;
        while (!AtEnd && NumberChars.Contains(Peek()))
            Advance();
        string text = _text[start.._pos];
        var number = HoconNumber.TryParse(origin, text);
        if (number is not null)
            return new Token(TokenKind.Number, origin, text) { Number = number };
        int plus = text.IndexOf('+');
        if (plus >= 0)
            throw ConfigErrors.ReservedCharacter(origin with { Column = origin.Column + plus }, '+');
        return new Token(TokenKind.Unquoted, origin, text);
    }

    private Token ReadQuoted(ConfigOrigin origin)
    {
        if (StartsWith("\"\"\""))
            return ReadTripleQuoted(origin);
        Advance();
        var sb = new StringBuilder();
        while (true)
        {
            if (AtEnd || Peek() == '\n')
                throw ConfigErrors.UnterminatedString(origin);
            // JSON's rule, which the reference keeps: control characters are written as escapes.
            if (Peek() < ' ')
                throw ConfigErrors.ControlCharacterInString(Here, Peek());
            char c = Advance();
            if (c == '"')
                return new Token(TokenKind.Quoted, origin, sb.ToString());
            if (c != '\\')
            {
                sb.Append(c);
                continue;
            }
            var escapeOrigin = new ConfigOrigin(_source, _line, _column - 1);
            if (AtEnd)
                throw ConfigErrors.UnterminatedString(origin);
            char e = Advance();
            switch (e)
            {
                case '"': sb.Append('"'); break;
                case '\\': sb.Append('\\'); break;
                case '/': sb.Append('/'); break;
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'n': sb.Append('\n'); break;
                case 'r': sb.Append('\r'); break;
                case 't': sb.Append('\t'); break;
                case 'u':
                    sb.Append(ReadUnicodeEscape(escapeOrigin));
                    break;
                default:
                    throw ConfigErrors.BadEscape(escapeOrigin, e);
            }
        }
    }

    /// <summary>The four characters after <c>\u</c>, read as the reference reads them (<see cref="JavaInteger"/>: <c>+041</c> too).</summary>
    private char ReadUnicodeEscape(ConfigOrigin escapeOrigin)
    {
        if (_pos + 4 > _text.Length || !JavaInteger.TryParse(_text.Substring(_pos, 4), 16, out int code) || code < 0)
            throw ConfigErrors.BadUnicodeEscape(escapeOrigin);
        for (int i = 0; i < 4; i++)
            Advance();
        return (char)code;
    }

    /// <summary>
    /// <c>"""...""" </c>: everything up to the first run of three or more quotes, taken literally; quotes
    /// beyond the last three of that run belong to the string (HOCON.md, "Multi-line strings").
    /// </summary>
    private Token ReadTripleQuoted(ConfigOrigin origin)
    {
        for (int i = 0; i < 3; i++)
            Advance();
        var sb = new StringBuilder();
        while (true)
        {
            if (AtEnd)
                throw ConfigErrors.UnterminatedMultilineString(Here, origin);
            if (StartsWith("\"\"\""))
            {
                int run = 0;
                while (Peek(run) == '"')
                    run++;
                sb.Append('"', run - 3);
                for (int i = 0; i < run; i++)
                    Advance();
                return new Token(TokenKind.Quoted, origin, sb.ToString());
            }
            sb.Append(Advance());
        }
    }

    private Token ReadSubstitution(ConfigOrigin origin)
    {
        int start = _pos;
        Advance();
        Advance();
        bool optional = false;
        if (Peek() == '?')
        {
            Advance();
            optional = true;
        }
        var pathTokens = new List<Token>();
        while (true)
        {
            if (Peek() == '}')
            {
                Advance();
                break;
            }
            // Like the reference, read on to the closing brace, across lines; what is no path is reported
            // when the value is built (PathExpressionParser), after the syntax of the whole document.
            var token = Next();
            if (token.Kind == TokenKind.End)
                throw ConfigErrors.UnterminatedSubstitution(origin);
            pathTokens.Add(token);
        }
        return new Token(TokenKind.Substitution, origin, _text[start.._pos]) { Optional = optional, PathTokens = pathTokens };
    }
}
