using Azure.Data.Tables;
using Moq;
using Playbooks.Calling.Audit;

namespace Playbooks.Calling.Tests.OrgDirectory;

/// <summary>Strict mocks of the stores; the client they are built with is never called.</summary>
internal static class StoreMocks
{
    private static readonly TableServiceClient Unused = new("UseDevelopmentStorage=true");

    public static Mock<T> Of<T>() where T : class => new(MockBehavior.Strict, Unused);

    /// <summary>An audit service that accepts any entry and remembers the actions written.</summary>
    public static Mock<AuditService> Audit(List<string>? actions = null)
    {
        var audit = new Mock<AuditService>(MockBehavior.Strict, Of<AuditStore>().Object, TimeProvider.System);
        audit.Setup(a => a.RecordAsync(It.IsAny<Playbooks.Calling.Identity.Caller>(), It.IsAny<string>(), It.IsAny<string>(),
                It.IsAny<string>(), It.IsAny<string>(), It.IsAny<object?>(), It.IsAny<object?>(), It.IsAny<CancellationToken>()))
            .Callback((Playbooks.Calling.Identity.Caller _, string _, string action, string _, string _, object? _, object? _, CancellationToken _) => actions?.Add(action))
            .Returns(Task.CompletedTask);
        return audit;
    }
}
