using TourPlanner.Gateway.Calendar;

namespace TourPlanner.Tests.Calendar;

public sealed class IcalTextTests
{
    [Theory]
    [InlineData(@"back\slash", @"back\\slash")]
    [InlineData("semi;colon", @"semi\;colon")]
    [InlineData("com,ma", @"com\,ma")]
    [InlineData("crlf\r\nline", @"crlf\nline")]
    [InlineData("lf\nline", @"lf\nline")]
    [InlineData("cr\rline", @"cr\nline")]
    [InlineData("two\r\n\r\nbreaks", @"two\n\nbreaks")]
    [InlineData("nel\u0085ls\u2028ps\u2029end", @"nel\nls\nps\nend")]
    [InlineData("bell\u0007nul\u0000esc\u001bdel\u007f", "bellnulescdel")]
    [InlineData("tab\tkept", "tab\tkept")]
    [InlineData("Café 🎤 Łódź", "Café 🎤 Łódź")]
    [InlineData("a:b\"c'", "a:b\"c'")]
    public void Escapes_TEXT_values(string input, string expected) => Assert.Equal(expected, IcalText.EscapeText(input));

    [Fact]
    public void Lone_surrogate_becomes_replacement_character() =>
        Assert.Equal("a\uFFFDb", IcalText.EscapeText("a\uD83Db"));

    [Fact]
    public void Escaped_text_never_contains_a_line_break()
    {
        var escaped = IcalText.EscapeText(TestTours.Injection);

        Assert.DoesNotContain('\r', escaped);
        Assert.DoesNotContain('\n', escaped);
    }

    [Fact]
    public void Uri_with_control_characters_is_percent_encoded()
    {
        var uri = new Uri("https://tour.invalid/a b/é?q=1");

        var text = IcalText.SanitizeUri(uri);

        Assert.Equal("https://tour.invalid/a%20b/%C3%A9?q=1", text);
        Assert.All(text, c => Assert.InRange(c, '!', '~'));
    }
}
