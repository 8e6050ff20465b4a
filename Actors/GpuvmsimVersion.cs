using System.Reflection;

namespace Gpuvmsim;

/// <summary>The version of gpuvmsim (the <c>Version</c> of Directory.Build.props), recorded in every bind journal.</summary>
public static class GpuvmsimVersion
{
    public static string Current { get; } =
        typeof(GpuvmsimVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? "0.0.0";
}
