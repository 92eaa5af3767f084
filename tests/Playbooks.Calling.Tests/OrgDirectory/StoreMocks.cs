using Azure.Data.Tables;
using Moq;
using Playbooks.Calling.Audit;

namespace Playbooks.Calling.Tests.OrgDirectory;

/// <summary>Strict mocks of the stores; the client they are built with is never called.</summary>
internal static class StoreMocks
{
    private static readonly TableServiceClient Unused = new("UseDevelopmentStorage=true");

    public static Mock<T> Of<T>() where T : class => new(MockBehavior.Strict, Unused);

    /// <summary>
    /// The real audit service over a store that accepts every entry and outcome; <paramref name="actions"/> collects
    /// the actions of the changes that were applied (or events recorded).
    /// </summary>
    public static Mock<AuditService> Audit(List<string>? actions = null)
    {
        var store = Of<AuditStore>();
        var pending = new Dictionary<string, string>();
        store.Setup(s => s.AppendAsync(It.IsAny<AuditEntry>(), It.IsAny<CancellationToken>()))
            .Callback((AuditEntry e, CancellationToken _) =>
            {
                if (e.State == AuditStates.Pending)
                {
                    pending[e.Id] = e.Action;
                }
                else
                {
                    actions?.Add(e.Action);
                }
            })
            .Returns(Task.CompletedTask);
        store.Setup(s => s.MarkAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string?>(), It.IsAny<CancellationToken>()))
            .Callback((string _, string id, string state, string? _, CancellationToken _) =>
            {
                if (state == AuditStates.Applied)
                {
                    actions?.Add(pending[id]);
                }
            })
            .Returns(Task.CompletedTask);
        return new Mock<AuditService>(MockBehavior.Loose, store.Object, TimeProvider.System, null!) { CallBase = true };
    }
}
