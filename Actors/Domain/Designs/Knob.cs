namespace Gpuvmsim.Domain.Designs;

/// <summary>
/// One behaviour of the modelled driver that a design switches: a bug of the seed patch, a fix, or an
/// ordering choice. Values are strings so that booleans (<c>on</c>/<c>off</c>), numbers and enumerations
/// share one syntax on the command line (<c>--knob name=value</c>) and in scenario files.
/// </summary>
/// <param name="Name">Stable kebab-case name.</param>
/// <param name="Description">What the knob does when set to the buggy value, citing the spec section.</param>
/// <param name="AllowedValues">The values accepted; the first is the seed patch's (v2) behaviour.</param>
public sealed record Knob(string Name, string Description, IReadOnlyList<string> AllowedValues)
{
    public static Knob Bool(string name, string description) => new(name, description, ["on", "off"]);

    public bool IsBool => AllowedValues is ["on", "off"];

    public string Normalize(string value)
    {
        var v = value.Trim().ToLowerInvariant();
        if (IsBool)
        {
            // Boolean spellings apply to on/off knobs only: "1" is a number for a numeric knob.
            v = v switch
            {
                "true" or "yes" or "1" => "on",
                "false" or "no" or "0" => "off",
                var other => other,
            };
        }
        if (!AllowedValues.Contains(v))
            throw new InputException($"knob '{Name}': value '{value}' is not one of {string.Join(", ", AllowedValues)}");
        return v;
    }
}
