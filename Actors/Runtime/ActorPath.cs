using System.Text;

namespace Gpuvmsim.Runtime;

/// <summary>
/// The hierarchical name of an actor: a root <c>gpuvmsim://&lt;system&gt;</c> followed by elements, e.g.
/// <c>gpuvmsim://sys/user/parent/child</c>. Paths are immutable values; they are built on demand (actors do not
/// store their path text), so asking for a path allocates.
/// </summary>
public sealed class ActorPath : IEquatable<ActorPath>, IComparable<ActorPath>
{
    /// <summary>The URI scheme of every path.</summary>
    public const string Protocol = "gpuvmsim";

    private readonly ActorPath? _parent;

    private ActorPath(string systemName, ActorPath? parent, string name, int depth)
    {
        SystemName = systemName;
        _parent = parent;
        Name = name;
        Depth = depth;
    }

    /// <summary>The root path of system <paramref name="systemName"/>: <c>gpuvmsim://name</c>.</summary>
    public static ActorPath Root(string systemName) => new(systemName, null, "", 0);

    /// <summary>The system this path belongs to.</summary>
    public string SystemName { get; }

    /// <summary>The last element (empty for the root).</summary>
    public string Name { get; }

    /// <summary>Number of elements below the root (0 for the root, 1 for <c>/user</c>).</summary>
    public int Depth { get; }

    /// <summary>The parent path; the root is its own parent.</summary>
    public ActorPath Parent => _parent ?? this;

    /// <summary>The address part, <c>gpuvmsim://name</c>.</summary>
    public string Address => Protocol + "://" + SystemName;

    /// <summary>The path of a child named <paramref name="childName"/>.</summary>
    public ActorPath Child(string childName) => new(SystemName, this, childName, Depth + 1);

    /// <summary>Operator form of <see cref="Child"/>: <c>root / "user" / "x"</c>.</summary>
    public static ActorPath operator /(ActorPath path, string childName) => path.Child(childName);

    /// <summary>The elements below the root, outermost first, e.g. <c>["user", "x"]</c>.</summary>
    public IReadOnlyList<string> Elements
    {
        get
        {
            var result = new string[Depth];
            for (var p = this; p.Depth > 0; p = p._parent!) result[p.Depth - 1] = p.Name;
            return result;
        }
    }

    /// <summary>The path without its address, e.g. <c>/user/x</c> (the root gives <c>/</c>).</summary>
    public string ToStringWithoutAddress()
    {
        if (Depth == 0) return "/";
        var sb = new StringBuilder(16 * Depth);
        AppendElements(sb);
        return sb.ToString();
    }

    /// <summary>The full path, e.g. <c>gpuvmsim://sys/user/x</c>.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder(Address);
        if (Depth == 0) return sb.Append('/').ToString();
        AppendElements(sb);
        return sb.ToString();
    }

    private void AppendElements(StringBuilder sb)
    {
        if (_parent is { Depth: > 0 }) _parent.AppendElements(sb);
        sb.Append('/').Append(Name);
    }

    public bool Equals(ActorPath? other)
    {
        if (ReferenceEquals(this, other)) return true;
        if (other is null || other.Depth != Depth || other.Name != Name || other.SystemName != SystemName) return false;
        return Equals(_parent, other._parent);
    }

    public override bool Equals(object? obj) => Equals(obj as ActorPath);

    public override int GetHashCode()
    {
        var h = new HashCode();
        h.Add(SystemName);
        for (var p = this; p.Depth > 0; p = p._parent!) h.Add(p.Name);
        return h.ToHashCode();
    }

    /// <summary>Orders by full path text (ordinal).</summary>
    public int CompareTo(ActorPath? other) =>
        other is null ? 1 : string.CompareOrdinal(ToString(), other.ToString());
}
