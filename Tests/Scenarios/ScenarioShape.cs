using System.Collections;
using System.Reflection;
using System.Text;
using Gpuvmsim.Scenarios;

namespace Gpuvmsim.Tests.Scenarios;

/// <summary>
/// A scenario's content as one comparable text: every property of the spec and its parts, recursively, except where it
/// was written (origins, file, text). Two specs with the same shape describe the same scenario.
/// </summary>
internal static class ScenarioShape
{
    private static readonly string[] WhereWritten = [nameof(ScenarioSpec.File), nameof(ScenarioSpec.Text), "Origin"];

    public static string Of(ScenarioSpec spec)
    {
        var w = new StringBuilder();
        Write(w, spec, 0);
        return w.ToString();
    }

    private static void Write(StringBuilder w, object? value, int depth)
    {
        switch (value)
        {
            case null:
                w.Append("null");
                return;
            case string or bool or int or long or ulong or Enum:
                w.Append(value);
                return;
            case IEnumerable<string> set when value is IReadOnlySet<string>:
                w.Append('{').AppendJoin(",", set.Order(StringComparer.Ordinal)).Append('}');
                return;
            case IEnumerable items:
                w.Append('[');
                foreach (var item in items)
                {
                    Write(w, item, depth + 1);
                    w.Append(';');
                }
                w.Append(']');
                return;
        }
        var type = value.GetType();
        w.Append(type.Name).Append('(');
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            if (WhereWritten.Contains(property.Name) || property.GetIndexParameters().Length > 0 || property.Name == "EqualityContract")
                continue;
            w.Append(property.Name).Append('=');
            Write(w, property.GetValue(value), depth + 1);
            w.Append(' ');
        }
        w.Append(')');
    }
}
