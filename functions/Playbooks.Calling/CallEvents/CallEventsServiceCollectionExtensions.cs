using Azure.Messaging.ServiceBus;
using Azure.Storage.Queues;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Playbooks.Calling.Activity;
using Playbooks.Calling.Storage;

namespace Playbooks.Calling.CallEvents;

public static class CallEventsServiceCollectionExtensions
{
    /// <summary>
    /// The call-event queue (Service Bus or Storage queue, see <see cref="ResolveTransport"/>), the activity store and
    /// service, and the activity writer. Needs AddPlaybooksStorage and AddPlaybooksDirectory. The CRM step plugs in by
    /// registering an <see cref="IActivityObserver"/>.
    /// </summary>
    public static IServiceCollection AddPlaybooksCallEvents(this IServiceCollection services, IConfiguration configuration)
    {
        var transport = ResolveTransport(configuration);
        services.AddOptions<CallEventsOptions>()
            .Bind(configuration.GetSection(CallEventsOptions.Section))
            .Configure(o => o.Transport = transport)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        if (transport == CallEventTransport.ServiceBus)
        {
            AddServiceBus(services, configuration);
        }
        else
        {
            AddStorageQueue(services);
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IActivityObserver, NoActivityObserver>();
        services.AddSingleton<ActivityStore>();
        services.AddSingleton<Crm.IActivityRepository>(sp => sp.GetRequiredService<ActivityStore>());
        services.AddSingleton<ActivityService>();
        services.AddSingleton<ActivityListService>();
        services.AddSingleton<DispositionService>();
        services.AddSingleton<Calls.AgentLegStateStore>();
        services.AddSingleton<Calls.CallStateService>();
        services.AddSingleton<ActivityWriter>();
        services.AddSingleton<DeadLetters.DeadLetterMetrics>();
        services.AddSingleton<DeadLetters.DeadLetterService>();
        services.AddHostedService<DeadLetters.DeadLetterDepthMonitor>();
        return services;
    }

    /// <summary><c>CallEvents:Transport</c> when set; else a Storage queue for a local connection string without a Service Bus namespace.</summary>
    public static CallEventTransport ResolveTransport(IConfiguration configuration)
    {
        var configured = configuration[$"{CallEventsOptions.Section}:{nameof(CallEventsOptions.Transport)}"];
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return Enum.TryParse<CallEventTransport>(configured, ignoreCase: true, out var transport)
                ? transport
                : throw new OptionsValidationException(nameof(CallEventsOptions), typeof(CallEventsOptions),
                    [$"CallEvents:Transport must be ServiceBus or StorageQueue, not '{configured}'."]);
        }

        var local = !string.IsNullOrWhiteSpace(configuration[$"{StorageOptions.Section}:{nameof(StorageOptions.ConnectionString)}"]);
        var serviceBus = !string.IsNullOrWhiteSpace(configuration[$"{ServiceBusOptions.Section}:{nameof(ServiceBusOptions.FullyQualifiedNamespace)}"]);
        return local && !serviceBus ? CallEventTransport.StorageQueue : CallEventTransport.ServiceBus;
    }

    private static void AddServiceBus(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ServiceBusOptions>()
            .Bind(configuration.GetSection(ServiceBusOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddAzureClients(azure => azure
            .AddClient<ServiceBusClient, ServiceBusClientOptions>((clientOptions, credential, sp) =>
                new ServiceBusClient(sp.GetRequiredService<IOptions<ServiceBusOptions>>().Value.FullyQualifiedNamespace, credential, clientOptions))
            .WithCredential(sp => AzureIdentity.Credential(sp.GetRequiredService<IOptions<ServiceBusOptions>>().Value.ClientId)));
        services.AddSingleton(sp => sp.GetRequiredService<ServiceBusClient>()
            .CreateSender(sp.GetRequiredService<IOptions<ServiceBusOptions>>().Value.QueueName));
        services.AddSingleton(sp => sp.GetRequiredService<ServiceBusClient>().CreateReceiver(
            sp.GetRequiredService<IOptions<ServiceBusOptions>>().Value.QueueName,
            new ServiceBusReceiverOptions { ReceiveMode = ServiceBusReceiveMode.PeekLock, PrefetchCount = 0 }));
        services.AddSingleton<ICallEventPublisher, ServiceBusCallEventPublisher>();
        services.AddSingleton<ICallEventSource, ServiceBusCallEventSource>();
        services.AddSingleton<DeadLetters.IDeadLetterQueue>(sp => new DeadLetters.ServiceBusDeadLetters(
            sp.GetRequiredService<ServiceBusClient>().CreateReceiver(
                sp.GetRequiredService<IOptions<ServiceBusOptions>>().Value.QueueName,
                new ServiceBusReceiverOptions { SubQueue = SubQueue.DeadLetter, ReceiveMode = ServiceBusReceiveMode.PeekLock, PrefetchCount = 0 }),
            sp.GetRequiredService<ServiceBusSender>()));
    }

    private static void AddStorageQueue(IServiceCollection services)
    {
        services.AddAzureClients(azure => azure
            .AddClient<QueueServiceClient, QueueClientOptions>((clientOptions, credential, sp) =>
            {
                var storage = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
                return !string.IsNullOrWhiteSpace(storage.ConnectionString)
                    ? new QueueServiceClient(storage.ConnectionString, clientOptions)
                    : new QueueServiceClient(
                        storage.QueueServiceUri ?? throw new InvalidOperationException("Set Storage:QueueServiceUri (or Storage:ConnectionString) for the call-event queue."),
                        credential,
                        clientOptions);
            })
            .WithCredential(AzureIdentity.AppCredential)
            .ConfigureOptions((clientOptions, sp) =>
            {
                clientOptions.MessageEncoding = StorageQueueCallEvents.ClientOptions.MessageEncoding;
                clientOptions.WithRegisteredPolicies(sp);
            }));
        services.AddSingleton(sp =>
        {
            var queues = sp.GetRequiredService<QueueServiceClient>();
            var options = sp.GetRequiredService<IOptions<CallEventsOptions>>().Value;
            return new StorageQueueCallEvents(
                queues.GetQueueClient(options.StorageQueueName), queues.GetQueueClient(options.StorageQueueName + "-poison"), options.Lock,
                options.StorageQueuePackSize, options.StorageQueueSendsInFlight);
        });
        services.AddSingleton<ICallEventPublisher>(sp => sp.GetRequiredService<StorageQueueCallEvents>());
        services.AddSingleton<ICallEventSource>(sp => sp.GetRequiredService<StorageQueueCallEvents>());
        services.AddSingleton<DeadLetters.IDeadLetterQueue>(sp => new DeadLetters.StorageQueueDeadLetters(sp.GetRequiredService<StorageQueueCallEvents>()));
        services.AddHostedService<StorageQueueInitializer>();
    }
}

/// <summary>Creates the Storage queues at start-up; an unreachable account is retried on first use.</summary>
internal sealed class StorageQueueInitializer(StorageQueueCallEvents queues, ILogger<StorageQueueInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await queues.CreateIfNotExistsAsync(cancellationToken);
        }
        catch (Exception ex) when (AzureIdentity.IsStorageUnreachable(ex))
        {
            logger.LogError(ex, "Could not create the call-event queues; is storage reachable?");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
