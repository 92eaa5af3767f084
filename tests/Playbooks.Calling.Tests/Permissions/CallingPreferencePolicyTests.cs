using Playbooks.Calling.Orgs;
using Playbooks.Calling.PermissionGroups;
using Playbooks.Calling.People;
using Playbooks.Calling.Permissions;

namespace Playbooks.Calling.Tests.Permissions;

public class CallingPreferencePolicyTests
{
    private static readonly OrgSettings EnabledOrg = new() { OrgId = "o", Name = "O", ComputerCallingEnabled = true };
    private static readonly OrgSettings DisabledOrg = EnabledOrg with { ComputerCallingEnabled = false };

    private static PermissionGroup Group(bool computer, bool phone) =>
        new() { OrgId = "o", Id = "g", Name = "G", AllowComputer = computer, AllowPhone = phone };

    private static Person Person(CallingMethod preference = CallingMethod.Phone, string? phone = "+15005550001") =>
        new() { OrgId = "o", UserId = "u", DisplayName = "U", PermissionGroupId = "g", CallingPreference = preference, AgentPhoneNumber = phone, AgentPhoneVerified = phone is not null };

    [Fact]
    public void CanPlaceCalls_OrgDisabledComputer_RefusesWithOrgReasonEvenIfGroupAllows()
    {
        var result = CallingPreferencePolicy.CanPlaceCalls(DisabledOrg, Group(true, true), Person(), CallingMethod.Computer);

        Assert.False(result.Allowed);
        Assert.Equal("org-computer-calling-disabled", result.Reason);
    }

    [Fact]
    public void CanPlaceCalls_OrgDisabledComputer_StillAllowsPhone()
    {
        var result = CallingPreferencePolicy.CanPlaceCalls(DisabledOrg, Group(true, true), Person(), CallingMethod.Phone);

        Assert.True(result.Allowed);
    }

    [Theory]
    [InlineData(CallingMethod.Computer, "group-forbids-computer")]
    [InlineData(CallingMethod.Phone, "group-forbids-phone")]
    public void CanPlaceCalls_GroupForbidsMethod_RefusesWithGroupReason(CallingMethod method, string reason)
    {
        var group = Group(computer: method != CallingMethod.Computer, phone: method != CallingMethod.Phone);

        var result = CallingPreferencePolicy.CanPlaceCalls(EnabledOrg, group, Person(), method);

        Assert.False(result.Allowed);
        Assert.Equal(reason, result.Reason);
    }

    [Theory]
    [InlineData(CallingMethod.Computer, CallingMethod.Phone)]
    [InlineData(CallingMethod.Phone, CallingMethod.Computer)]
    public void CanPlaceCalls_NoGroupAndNotTheOrgDefault_RefusesWithNoPermissionGroup(CallingMethod method, CallingMethod orgDefault)
    {
        var org = EnabledOrg with { DefaultCallingPreference = orgDefault };

        var result = CallingPreferencePolicy.CanPlaceCalls(org, null, Person() with { PermissionGroupId = null }, method);

        Assert.False(result.Allowed);
        Assert.Equal("no-permission-group", result.Reason);
    }

    [Theory]
    [InlineData(CallingMethod.Computer)]
    [InlineData(CallingMethod.Phone)]
    public void CanPlaceCalls_NoGroupAndTheOrgDefault_Allows(CallingMethod method)
    {
        var org = EnabledOrg with { DefaultCallingPreference = method };

        var result = CallingPreferencePolicy.CanPlaceCalls(org, null, Person() with { PermissionGroupId = null }, method);

        Assert.True(result.Allowed);
    }

    [Fact]
    public void CanPlaceCalls_NoGroupAndComputerDefaultInAnOrgWithoutComputerCalling_RefusesWithOrgReason()
    {
        var org = DisabledOrg with { DefaultCallingPreference = CallingMethod.Computer };

        var result = CallingPreferencePolicy.CanPlaceCalls(org, null, Person() with { PermissionGroupId = null }, CallingMethod.Computer);

        Assert.Equal("org-computer-calling-disabled", result.Reason);
    }

    [Fact]
    public void CanPlaceCalls_NoGroupAndPhoneDefaultWithoutAgentPhone_StillNeedsTheAgentPhone()
    {
        var result = CallingPreferencePolicy.CanPlaceCalls(EnabledOrg, null, Person(phone: null) with { PermissionGroupId = null }, CallingMethod.Phone);

        Assert.Equal("no-agent-phone", result.Reason);
    }

    [Fact]
    public void CanPlaceCalls_PhoneWithoutAgentPhone_RefusesWithNoAgentPhone()
    {
        var result = CallingPreferencePolicy.CanPlaceCalls(EnabledOrg, Group(true, true), Person(phone: null), CallingMethod.Phone);

        Assert.False(result.Allowed);
        Assert.Equal("no-agent-phone", result.Reason);
    }

    [Fact]
    public void CanPlaceCalls_PhoneWithUnverifiedAgentPhone_RefusesWithAgentPhoneUnverified()
    {
        var result = CallingPreferencePolicy.CanPlaceCalls(EnabledOrg, Group(true, true), Person() with { AgentPhoneVerified = false }, CallingMethod.Phone);

        Assert.False(result.Allowed);
        Assert.Equal(CallingPreferencePolicy.AgentPhoneUnverified, result.Reason);
    }

    [Fact]
    public void CanPlaceCalls_ComputerWithUnverifiedAgentPhone_Allows()
    {
        var result = CallingPreferencePolicy.CanPlaceCalls(EnabledOrg, Group(true, true), Person() with { AgentPhoneVerified = false }, CallingMethod.Computer);

        Assert.True(result.Allowed);
    }

    [Fact]
    public void CanPlaceCalls_ComputerWithoutAgentPhone_Allows()
    {
        var result = CallingPreferencePolicy.CanPlaceCalls(EnabledOrg, Group(true, false), Person(phone: null), CallingMethod.Computer);

        Assert.True(result.Allowed);
        Assert.Null(result.Reason);
    }

    [Theory]
    [InlineData(true, true, CallingMethod.Phone, new[] { CallingMethod.Computer, CallingMethod.Phone })]
    [InlineData(false, true, CallingMethod.Phone, new[] { CallingMethod.Phone })]
    [InlineData(true, false, CallingMethod.Computer, new[] { CallingMethod.Computer })]
    [InlineData(false, true, CallingMethod.Computer, new[] { CallingMethod.Computer, CallingMethod.Phone })]
    [InlineData(false, false, CallingMethod.Phone, new[] { CallingMethod.Phone })]
    public void Options_GroupAndCurrent_OffersAllowedPlusCurrentComputerFirst(bool computer, bool phone, CallingMethod current, CallingMethod[] expected)
    {
        var options = CallingPreferencePolicy.Options(Group(computer, phone), current);

        Assert.Equal(expected, options);
    }

    [Fact]
    public void Options_NoGroup_OffersOnlyCurrent()
    {
        Assert.Equal([CallingMethod.Computer], CallingPreferencePolicy.Options(null, CallingMethod.Computer));
    }

    [Fact]
    public void CanSelect_MethodGroupForbids_IsFalseEvenWhenItIsTheCurrentPreference()
    {
        var phoneOnly = Group(false, true);

        Assert.False(CallingPreferencePolicy.CanSelect(phoneOnly, CallingMethod.Computer));
        Assert.True(CallingPreferencePolicy.CanSelect(phoneOnly, CallingMethod.Phone));
        Assert.False(CallingPreferencePolicy.CanSelect(null, CallingMethod.Phone));
    }

    [Fact]
    public void SourceScenario_ManagerSetsComputerThenUserSwitchesToPhone_OptionsShrinkToPhone()
    {
        // Arrange: the user's group allows phone only; their manager sets them to computer-based calling.
        var phoneOnly = Group(computer: false, phone: true);
        var user = Person(CallingMethod.Computer);

        // Act + Assert: the drop-down offers both methods, and the user cannot call with computer.
        Assert.Equal([CallingMethod.Computer, CallingMethod.Phone], CallingPreferencePolicy.Options(phoneOnly, user.CallingPreference));
        Assert.Equal("group-forbids-computer", CallingPreferencePolicy.CanPlaceCalls(EnabledOrg, phoneOnly, user, CallingMethod.Computer).Reason);

        // The user switches to phone; afterwards only phone is offered and computer cannot be chosen back.
        Assert.True(CallingPreferencePolicy.CanSelect(phoneOnly, CallingMethod.Phone));
        user = user with { CallingPreference = CallingMethod.Phone };
        Assert.Equal([CallingMethod.Phone], CallingPreferencePolicy.Options(phoneOnly, user.CallingPreference));
        Assert.False(CallingPreferencePolicy.CanSelect(phoneOnly, CallingMethod.Computer));
    }
}
