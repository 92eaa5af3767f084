using Microsoft.Extensions.Options;
using Playbooks.Calling.Twilio;
using Twilio.Jwt.AccessToken;

namespace Playbooks.Calling.Calls;

/// <summary>A Twilio Voice access token for the browser's Device.</summary>
public sealed record VoiceToken(string Token, string Identity, DateTimeOffset ExpiresAt);

/// <summary>Mints short-lived Voice access tokens that may place outgoing calls through our TwiML app only.</summary>
public class VoiceTokenIssuer(IOptions<TwilioOptions> options)
{
    private readonly TwilioOptions _options = options.Value;

    /// <summary>Permission checks come first; this only mints. Fails when the ids don't fit a Twilio identity.</summary>
    public virtual Result<VoiceToken> Issue(string orgId, string userId, DateTimeOffset now)
    {
        var identity = ClientIdentity.Encode(orgId, userId);
        if (identity.Failure is { } failure)
        {
            return failure;
        }

        var lifetime = _options.TokenLifetime > TwilioOptions.MaxTokenLifetime ? TwilioOptions.MaxTokenLifetime : _options.TokenLifetime;
        // Whole seconds, so the expiry we report is the exp claim exactly.
        var issuedAt = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds());
        var expiresAt = issuedAt + lifetime;

        // Incoming calls to the browser are not part of this product, so the token cannot receive them.
        var grant = new VoiceGrant { OutgoingApplicationSid = _options.TwimlAppSid, IncomingAllow = false };
        var token = new Token(
            _options.AccountSid,
            _options.ApiKeySid,
            _options.ApiKeySecret,
            identity: identity.Value,
            expiration: expiresAt.UtcDateTime,
            nbf: issuedAt.UtcDateTime,
            grants: [grant]);

        return new VoiceToken(token.ToJwt(), identity.Value!, expiresAt);
    }
}
