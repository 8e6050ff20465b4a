namespace Gpuvmsim.Configuration;

internal enum TokenKind
{
    OpenBrace,
    CloseBrace,
    OpenBracket,
    CloseBracket,
    Comma,
    Colon,
    Equals,
    PlusEquals,
    Newline,
    /// <summary>A run of non-newline whitespace; it matters inside value concatenations and keys.</summary>
    Whitespace,
    Quoted,
    Unquoted,
    Number,
    True,
    False,
    Null,
    /// <summary><c>${...}</c>: <see cref="Token.PathTokens"/> holds the path expression inside.</summary>
    Substitution,
    /// <summary>A lexical error; <see cref="Token.Error"/> is thrown when the parser reaches it.</summary>
    Error,
    End,
}

/// <summary>One lexical token with its position; <see cref="Text"/> is the decoded text of strings.</summary>
internal sealed class Token(TokenKind kind, ConfigOrigin origin, string text)
{
    public TokenKind Kind { get; } = kind;

    public ConfigOrigin Origin { get; } = origin;

    public string Text { get; } = text;

    /// <summary>The parsed number of a <see cref="TokenKind.Number"/> token.</summary>
    public HoconNumber? Number { get; init; }

    /// <summary>True for <c>${?path}</c>.</summary>
    public bool Optional { get; init; }

    /// <summary>The fault of an <see cref="TokenKind.Error"/> token.</summary>
    public ConfigException? Error { get; init; }

    /// <summary>The tokens of a substitution's path expression.</summary>
    public IReadOnlyList<Token> PathTokens { get; init; } = [];

    /// <summary>A value that is neither an object nor an array: the whitespace between two of them is part of the value.</summary>
    public bool IsSimpleValue => Kind is TokenKind.Quoted or TokenKind.Unquoted or TokenKind.Number
        or TokenKind.True or TokenKind.False or TokenKind.Null or TokenKind.Substitution;

    /// <summary>A simple value or whitespace: what a key, a path expression or a string concatenation is made of.</summary>
    public bool IsKeyPiece => Kind is TokenKind.Quoted or TokenKind.Unquoted or TokenKind.Number
        or TokenKind.True or TokenKind.False or TokenKind.Null or TokenKind.Whitespace;

    /// <summary>How the token reads in an error message.</summary>
    public string Describe() => Kind switch
    {
        TokenKind.End => "end of file",
        TokenKind.Newline => "newline",
        TokenKind.Whitespace => "whitespace",
        TokenKind.Quoted => $"quoted string {JsonRenderer.Quote(Text)}",
        TokenKind.Substitution => "a substitution",
        _ => $"'{Text}'",
    };
}
