using Gpuvmsim.Runtime;

namespace Gpuvmsim.Persistence.Actors;

/// <summary>
/// The snapshot-store plugin actor (Akka's <c>SnapshotStore</c>): carries out the requests of
/// <c>SnapshotProtocol.cs</c> on its <see cref="ISnapshotStore"/> and answers each to its sender. Like
/// <see cref="JournalActor"/>, it works synchronously inside its delivery step on the deterministic dispatcher and
/// through the async methods, one request at a time, on a thread-pool dispatcher. Without a store (snapshot plugin
/// <c>""</c>) loads find nothing and saves and deletes fail. It closes its store when it stops.
/// </summary>
internal sealed class SnapshotStoreActor : ActorBase
{
    private readonly ISnapshotStore? _store;
    private readonly TimeProvider _clock;
    private readonly bool _synchronous;

    public SnapshotStoreActor(ISnapshotStore? store, TimeProvider clock)
    {
        _store = store;
        _clock = clock;
        _synchronous = Context.Dispatcher.Type == DispatcherType.Deterministic;
    }

    protected internal override bool Receive(object message)
    {
        var sender = Sender;
        Func<ValueTask<object>>? request = message switch
        {
            LoadSnapshot load => () => Load(load),
            SaveSnapshot save => () => Save(save),
            DeleteSnapshot delete => () => DeleteOne(delete),
            DeleteSnapshots delete => () => DeleteMatching(delete),
            _ => null,
        };
        if (request is null) return false;
        if (_synchronous)
        {
            var pending = request();
            if (!pending.IsCompleted) throw new InvalidOperationException("a synchronous snapshot request did not complete synchronously");
            sender.Tell(pending.Result, Self);
        }
        else
        {
            Cell.RunTask(async () => sender.Tell(await request(), Self));
        }
        return true;
    }

    protected override void PreRestart(Exception reason, object? message) { }

    protected override void PostStop() => _store?.Dispose();

    private async ValueTask<object> Load(LoadSnapshot request)
    {
        if (_store is null) return new LoadSnapshotResult(null, request.ToSequenceNr);
        var criteria = request.Criteria.MaxSequenceNr <= request.ToSequenceNr
            ? request.Criteria
            : request.Criteria with { MaxSequenceNr = request.ToSequenceNr };
        try
        {
            var found = _synchronous
                ? _store.Load(request.PersistenceId, criteria)
                : await _store.LoadAsync(request.PersistenceId, criteria);
            return new LoadSnapshotResult(found, request.ToSequenceNr);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return new LoadSnapshotFailed(e);
        }
    }

    private async ValueTask<object> Save(SaveSnapshot request)
    {
        var metadata = request.Metadata.Timestamp == default
            ? request.Metadata with { Timestamp = _clock.GetUtcNow().UtcDateTime }
            : request.Metadata;
        try
        {
            var store = _store ?? throw NoStore();
            if (_synchronous) store.Save(metadata, request.Snapshot);
            else await store.SaveAsync(metadata, request.Snapshot);
            return new SaveSnapshotSuccess(metadata);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return new SaveSnapshotFailure(metadata, e);
        }
    }

    private async ValueTask<object> DeleteOne(DeleteSnapshot request)
    {
        try
        {
            var store = _store ?? throw NoStore();
            if (_synchronous) store.Delete(request.Metadata);
            else await store.DeleteAsync(request.Metadata);
            return new DeleteSnapshotSuccess(request.Metadata);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return new DeleteSnapshotFailure(request.Metadata, e);
        }
    }

    private async ValueTask<object> DeleteMatching(DeleteSnapshots request)
    {
        try
        {
            var store = _store ?? throw NoStore();
            if (_synchronous) store.Delete(request.PersistenceId, request.Criteria);
            else await store.DeleteAsync(request.PersistenceId, request.Criteria);
            return new DeleteSnapshotsSuccess(request.Criteria);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return new DeleteSnapshotsFailure(request.Criteria, e);
        }
    }

    private static InvalidOperationException NoStore() =>
        new("no snapshot store is configured (akka.persistence.snapshot-store.plugin is empty)");
}
