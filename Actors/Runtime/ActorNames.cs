namespace Gpuvmsim.Runtime;

/// <summary>Actor name rules (Akka's): validation of user names and the deterministic anonymous names.</summary>
internal static class ActorNames
{
    private const string AllowedPunctuation = "-_.*$+:@&=,!~';";

    /// <summary>Throws <see cref="InvalidActorNameException"/> unless <paramref name="name"/> is a legal user name:
    /// non-empty, not starting with <c>$</c> (reserved for generated names), and made of letters, digits,
    /// <c>-_.*$+:@&amp;=,!~';</c> or <c>%XX</c> escapes; in particular no <c>/</c>.</summary>
    public static void Validate(string? name)
    {
        if (string.IsNullOrEmpty(name))
            throw new InvalidActorNameException("Actor name must not be null or empty.");
        if (name[0] == '$')
            throw new InvalidActorNameException($"Actor name [{name}] must not start with '$': such names are reserved for generated names.");
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (char.IsAsciiLetterOrDigit(c) || AllowedPunctuation.Contains(c)) continue;
            if (c == '%' && i + 2 < name.Length && char.IsAsciiHexDigit(name[i + 1]) && char.IsAsciiHexDigit(name[i + 2]))
            {
                i += 2;
                continue;
            }
            throw new InvalidActorNameException(
                $"Illegal actor name [{name}]: character '{c}' at position {i} is not allowed " +
                "(use letters, digits, -_.*$+:@&=,!~'; or %XX escapes; '/' separates path elements).");
        }
    }

    /// <summary>The generated name number <paramref name="n"/> (0-based): <c>$a</c> … <c>$z</c>, <c>$ba</c>, <c>$bb</c> …
    /// (base 26 with letters as digits).</summary>
    public static string Anonymous(long n)
    {
        Span<char> buffer = stackalloc char[16];
        int pos = buffer.Length;
        do
        {
            buffer[--pos] = (char)('a' + (int)(n % 26));
            n /= 26;
        }
        while (n > 0);
        buffer[--pos] = '$';
        return new string(buffer[pos..]);
    }
}
