using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Gpuvmsim.Messages.Journal;

namespace Gpuvmsim.Host.Cli;

/// <summary>Writes the one-object JSON outputs of the verbs (UTF-8; quotes and apostrophes in messages left readable).</summary>
internal static class CliJson
{
    public static JsonWriterOptions Options { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Object(Action<Utf8JsonWriter> writeMembers)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, Options))
        {
            w.WriteStartObject();
            writeMembers(w);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>The four setup fields every listing shows (scenario, design, strategy, seed); <c>journal show</c> writes them all.</summary>
    public static void WriteSetupSummary(Utf8JsonWriter w, RunSetup setup)
    {
        w.WriteString("scenario", setup.Scenario);
        w.WriteString("design", setup.Design);
        w.WriteString("strategy", setup.Strategy);
        w.WriteNumber("seed", setup.Seed);
    }
}
