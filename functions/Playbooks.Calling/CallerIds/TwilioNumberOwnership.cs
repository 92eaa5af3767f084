using Microsoft.Extensions.Logging;
using Twilio.Clients;
using Twilio.Exceptions;
using Twilio.Rest.Api.V2010.Account;
using Twilio.Types;

namespace Playbooks.Calling.CallerIds;

/// <summary>
/// Whether the shared Twilio account may present a number as caller ID: a number it owns (IncomingPhoneNumbers)
/// or one verified on it (OutgoingCallerIds). Both lists are asked with the PhoneNumber filter, one page of one.
/// </summary>
public class TwilioNumberOwnership(ITwilioRestClient client, ILogger<TwilioNumberOwnership> logger)
{
    public virtual async Task<Result<bool>> IsOwnedAsync(string phoneNumber, CancellationToken cancellationToken = default)
    {
        try
        {
            var owned = await IncomingPhoneNumberResource.ReadAsync(
                new ReadIncomingPhoneNumberOptions { PhoneNumber = new PhoneNumber(phoneNumber), PageSize = 1, Limit = 1 }, client);
            if (owned.Any(n => n.PhoneNumber?.ToString() == phoneNumber))
            {
                return true;
            }

            var verified = await OutgoingCallerIdResource.ReadAsync(
                new ReadOutgoingCallerIdOptions { PhoneNumber = new PhoneNumber(phoneNumber), PageSize = 1, Limit = 1 }, client);
            return verified.Any(n => n.PhoneNumber?.ToString() == phoneNumber);
        }
        catch (TwilioException ex) when (ex is ApiException or ApiConnectionException)
        {
            logger.LogError(ex, "Twilio did not answer whether it owns {PhoneNumber}", phoneNumber);
            return new Failure(FailureKind.Unavailable, "telephony-unavailable", "The phone service is not answering right now. Try again in a moment.");
        }
    }
}
