using Azure.Storage.Queues;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Playbooks.Calling.Twilio;
using Playbooks.DevServer.Activity;

namespace Playbooks.DevServer.Tests.Security;

/// <summary>
/// The dev server with a call-events queue of its own and no activity writer draining it, so a test can count exactly what
/// the webhooks queued.
/// </summary>
public sealed class WebhookServer : DevServerFactory
{
    public string QueueName { get; } = $"sec-events-{Guid.NewGuid():N}"[..32];

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["CallEvents:StorageQueueName"] = QueueName,
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
        {
            foreach (var writer in services.Where(s => s.ServiceType == typeof(IHostedService) && s.ImplementationType == typeof(ActivityWriterLoop)).ToList())
            {
                services.Remove(writer);
            }
        });
    }

    public TwilioOptions Twilio => Services.GetRequiredService<IOptions<TwilioOptions>>().Value;

    /// <summary>How many call events wait in this server's queue.</summary>
    public async Task<int> QueuedEventsAsync()
    {
        var queue = new QueueClient(StorageConnectionString, QueueName);
        await queue.CreateIfNotExistsAsync();
        return (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount;
    }
}

[CollectionDefinition(Name)]
public sealed class WebhookCollection : ICollectionFixture<WebhookServer>
{
    public const string Name = "security webhooks";
}
