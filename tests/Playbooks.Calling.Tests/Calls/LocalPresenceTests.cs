using Playbooks.Calling.Calls;

namespace Playbooks.Calling.Tests.Calls;

public class LocalPresenceTests
{
    private const string Default = "+15005550006";

    private static readonly string[] Pool = ["+12015550111", "+15145550133", "+13035550144"];

    [Theory]
    [InlineData("+12015550100", "+12015550111", CallerIdChoice.AreaCode)]
    [InlineData("+17205550100", "+13035550144", CallerIdChoice.Region)] // 720 and 303 are both Colorado
    [InlineData("+14165550100", "+15145550133", CallerIdChoice.Country)] // Ontario prospect, Quebec number
    [InlineData("+447700900123", Default, CallerIdChoice.Default)]
    public void Choose_Prospect_PicksTheClosestTier(string prospect, string expected, string tier)
    {
        // Act
        var choice = LocalPresence.Choose(prospect, Pool, Default);

        // Assert
        Assert.Equal(new CallerIdChoice(expected, tier), choice);
    }

    [Fact]
    public void Choose_TwoNumbersInTheArea_AlwaysTheSameOne()
    {
        // Act
        var first = LocalPresence.Choose("+12015550100", ["+12015550999", "+12015550111"], Default);
        var second = LocalPresence.Choose("+12015550100", ["+12015550111", "+12015550999"], Default);

        // Assert
        Assert.Equal(first, second);
        Assert.Equal("+12015550111", first.CallerId);
    }

    [Fact]
    public void Choose_EmptyPool_TheDefault()
    {
        // Act / Assert
        Assert.Equal(new CallerIdChoice(Default, CallerIdChoice.Default), LocalPresence.Choose("+14165550100", [], Default));
    }
}
