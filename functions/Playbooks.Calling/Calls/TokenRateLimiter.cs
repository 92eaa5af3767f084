using Microsoft.Extensions.Options;
using Playbooks.Calling.Twilio;

namespace Playbooks.Calling.Calls;

/// <summary>Voice token mints per user per minute (<see cref="TwilioOptions.TokenRequestsPerMinute"/>).</summary>
public class TokenRateLimiter(IOptions<TwilioOptions> options, TimeProvider time)
    : UserRateLimiter(options.Value.TokenRequestsPerMinute, Window, time)
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
}
