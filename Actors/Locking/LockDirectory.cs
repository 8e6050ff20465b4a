using Gpuvmsim.Messages.Locks;

namespace Gpuvmsim.Locking;

/// <summary>Every lock of a run by the name scenarios use (<c>A</c>, <c>V.vm_lock</c>, <c>X.resv</c>) and by id.</summary>
public sealed class LockDirectory
{
    private readonly Dictionary<string, LockHandle> byName = new(StringComparer.Ordinal);
    private readonly Dictionary<LockId, LockHandle> byId = [];

    public void Add(string name, LockHandle handle)
    {
        byName.Add(name, handle);
        byId.Add(handle.Info.Id, handle);
    }

    public LockHandle this[string name] => byName[name];

    public LockHandle ById(LockId id) => byId[id];

    public IEnumerable<LockHandle> All => byId.Values;
}
