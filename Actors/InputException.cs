namespace Gpuvmsim;

/// <summary>
/// Bad user input: a malformed configuration or scenario, an invalid request, an unknown id.
/// The message already names the place at fault (<c>file:line:column: ...</c>, a field, or an option);
/// the command line turns it into exit status 2, the web service into a 4xx answer.
/// </summary>
public class InputException : Exception
{
    public InputException(string message) : base(message) { }

    public InputException(string message, Exception inner) : base(message, inner) { }
}
