using Playbooks.Calling.Activity;

namespace Playbooks.Calling.CallEvents;

/// <summary>
/// The queue between the Twilio webhooks and the activity writer: Azure Service Bus in Azure,
/// an Azure Storage queue on the dev server. Publishing throws when the message was not accepted,
/// so the webhook answers 5xx and Twilio delivers the event again.
/// </summary>
public interface ICallEventPublisher
{
    Task PublishAsync(CallEventMessage message, CancellationToken cancellationToken);
}
