using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using TourPlanner.Tests.Infrastructure;

namespace TourPlanner.Tests.Api;

/// <summary>
/// Planning, the host group's calendar and their refusals answer in the caller's language like every other endpoint:
/// a Spanish request reads Spanish titles, details and field errors, each with its stable code, and never an English
/// sentence.
/// </summary>
[Collection(GatewayCollection.Name)]
public class PlanningLanguageTests(GatewayFactory factory)
{
    private sealed record Answer(HttpStatusCode Status, JsonElement Body, string Text, HttpResponseMessage Response);

    private static async Task<Answer> SendAsync(HttpClient client, HttpMethod method, string url, string token, object? body = null, string language = "es-MX,es;q=0.9")
    {
        using var request = new HttpRequestMessage(method, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.TryAddWithoutValidation("Accept-Language", language);
        if (body is not null) request.Content = JsonContent.Create(body, options: Http.JsonOptions);
        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return new Answer(response.StatusCode, JsonDocument.Parse(text.Length == 0 ? "null" : text).RootElement.Clone(), text, response);
    }

    private static JsonElement AssertProblem(Answer a, HttpStatusCode status, string code, string title, string? detailPart = null)
    {
        Assert.True(a.Status == status, $"expected {(int)status}, got {(int)a.Status}: {a.Text}");
        Assert.Equal("application/problem+json", a.Response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(code, a.Body.Str("code"));
        Assert.Equal(title, a.Body.Str("title"));
        if (detailPart is not null) Assert.Contains(detailPart, a.Body.Str("detail"));
        return a.Body;
    }

    private static void AssertFieldError(JsonElement problem, string field, string code, string part)
    {
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out var messages), $"errors should name '{field}': {problem}");
        Assert.Contains(messages.EnumerateArray(), m => m.GetString()!.Contains(part, StringComparison.Ordinal));
        Assert.Contains(problem.GetProperty("errorDetails").EnumerateArray(),
            d => d.Str("field") == field && d.Str("code") == code && d.Str("message").Contains(part, StringComparison.Ordinal));
    }

    [Fact]
    public async Task PlanningWithSearchLimitsOutOfRange_InSpanish_NamesEachFieldInSpanish()
    {
        var s = await ApiScenario.CreateAsync(factory.CreateClient());
        var plan = $"/api/tours/{s.TourId}/plan";

        // Checked by the Gateway before any grain is asked.
        var early = AssertProblem(await SendAsync(s.Client, HttpMethod.Post, plan, s.Organizer,
                new { maxIterations = 0, timeBudgetMs = 0, seed = -1, pinned = new object?[] { null, new { } } }),
            HttpStatusCode.BadRequest, "problem.invalid-fields", "Datos no válidos", "Uno o más datos no son válidos.");
        AssertFieldError(early, "maxIterations", "field.at-least", "maxIterations debe ser como mínimo 1.");
        AssertFieldError(early, "timeBudgetMs", "field.at-least", "timeBudgetMs debe ser como mínimo 1.");
        AssertFieldError(early, "seed", "field.not-negative", "seed debe ser cero o un número positivo.");
        AssertFieldError(early, "pinned[0]", "field.item-required", "Aquí hace falta un valor.");
        AssertFieldError(early, "pinned[1].claimId", "field.required", "Falta claimId: es obligatorio.");
        AssertFieldError(early, "pinned[1].date", "field.required-as", "Falta date: es obligatorio");

        // Checked by the plan grain against the server's own limits.
        var late = AssertProblem(await SendAsync(s.Client, HttpMethod.Post, plan, s.Organizer, new { maxIterations = 1_000_000_000 }),
            HttpStatusCode.BadRequest, "problem.invalid-fields", "Datos no válidos");
        AssertFieldError(late, "maxIterations", "plan.server-range", "(el límite del servidor por petición)");
        Assert.DoesNotContain("must be", late.GetRawText());

        // The same request in English reads English, with the same codes.
        var english = await SendAsync(s.Client, HttpMethod.Post, plan, s.Organizer, new { maxIterations = 1_000_000_000 }, language: "en");
        AssertFieldError(english.Body, "maxIterations", "plan.server-range", "(the server's limit per request)");
    }

    [Fact]
    public async Task PinningWhatCannotBePinned_InSpanish_SaysWhyInSpanish()
    {
        var s = await ApiScenario.CreateAsync(factory.CreateClient());
        var problem = AssertProblem(await SendAsync(s.Client, HttpMethod.Post, $"/api/tours/{s.TourId}/plan", s.Organizer, new
            {
                maxIterations = 50,
                pinned = new[] { new { claimId = "c_nope", date = "2026-10-28" }, new { claimId = s.ClaimA, date = "2026-11-02" } },
            }),
            HttpStatusCode.BadRequest, "problem.invalid-fields", "Datos no válidos");
        AssertFieldError(problem, "pinned[0].claimId", "claim.not-found", "«c_nope»");
        // Claim A offers only its own date: another one is refused with the dates it accepts, in Spanish day and month names.
        AssertFieldError(problem, "pinned[1].date", "plan.pin-date-not-acceptable", "no es una de las fechas aceptables del pedido (mié 28 oct 2026)");
    }

    [Fact]
    public async Task AnUnknownProposal_InSpanish_IsNotFoundInSpanish_ToReadAndToApply()
    {
        var s = await ApiScenario.CreateAsync(factory.CreateClient());
        AssertProblem(await SendAsync(s.Client, HttpMethod.Get, $"/api/tours/{s.TourId}/plan/p_nope", s.Organizer),
            HttpStatusCode.NotFound, "plan.proposal-not-found", "No encontrado", "No hay ninguna propuesta «p_nope» para esta gira (solo se guardan las últimas 10).");
        AssertProblem(await SendAsync(s.Client, HttpMethod.Post, $"/api/tours/{s.TourId}/plan/p_nope/apply", s.Organizer),
            HttpStatusCode.NotFound, "plan.proposal-not-found", "No encontrado", "No hay ninguna propuesta «p_nope»");
    }

    [Fact]
    public async Task ARepairOfNothing_InSpanish_SaysWhatIsMissingInSpanish()
    {
        var s = await ApiScenario.CreateAsync(factory.CreateClient());
        var repair = $"/api/tours/{s.TourId}/repair";
        var noBody = AssertProblem(await SendAsync(s.Client, HttpMethod.Post, repair, s.Organizer), HttpStatusCode.BadRequest, "problem.invalid-fields", "Datos no válidos");
        AssertFieldError(noBody, "stopId", "plan.repair-body-required", "Se necesita un cuerpo JSON con stopId.");
        var badMoves = AssertProblem(await SendAsync(s.Client, HttpMethod.Post, repair, s.Organizer, new { stopId = s.StopA, maxMoves = 11 }),
            HttpStatusCode.BadRequest, "problem.invalid-fields", "Datos no válidos");
        AssertFieldError(badMoves, "maxMoves", "field.range", "maxMoves debe estar entre 0 y 10.");
        AssertProblem(await SendAsync(s.Client, HttpMethod.Post, repair, s.Organizer, new { stopId = "s_nope", maxIterations = 50 }),
            HttpStatusCode.NotFound, "stop.not-found", "No encontrado", "No hay ninguna parada «s_nope» en esta gira.");
        // Claim A is held, not confirmed: nothing to repair, said with its status in Spanish.
        var held = AssertProblem(await SendAsync(s.Client, HttpMethod.Post, repair, s.Organizer, new { stopId = s.StopA, maxIterations = 50 }),
            HttpStatusCode.BadRequest, "problem.invalid-fields", "Datos no válidos");
        AssertFieldError(held, "stopId", "plan.repair-not-confirmed", "El pedido de la parada está reservado; la reparación es para paradas confirmadas.");
    }

    [Fact]
    public async Task ARepairOfAConfirmedStop_CarriesItsNoteInBothLanguages_FromTheCatalogue()
    {
        var s = await ApiScenario.CreateAsync(factory.CreateClient());
        await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{s.TourId}/claims/{s.ClaimA}/confirm", s.Organizer), HttpStatusCode.OK);
        var proposal = await ApiScenario.Ok(await s.Client.SendAsync(HttpMethod.Post, $"/api/tours/{s.TourId}/repair", s.Organizer,
            new { stopId = s.StopA, maxIterations = 50 }), HttpStatusCode.Created);
        // Claim A offers no other date, so the repair cancels it; the note says so in each language.
        Assert.True(proposal.GetProperty("cancelsRepairStop").GetBoolean(), proposal.GetRawText());
        Assert.Contains("Chicago cannot move to another acceptable date", proposal.GetProperty("notes")[0].GetString());
        Assert.Contains("Chicago no puede pasar a otra fecha aceptable", proposal.GetProperty("notesEs")[0].GetString());
        Assert.Contains("La búsqueda", proposal.Str("stopMessageEs"));
    }

    [Fact]
    public async Task AnotherGroupsCalendar_InSpanish_IsRefusedInSpanish()
    {
        var s = await ApiScenario.CreateAsync(factory.CreateClient());
        AssertProblem(await SendAsync(s.Client, HttpMethod.Get, $"/api/tours/{s.TourId}/hosts/{s.HostAId}/calendar", s.HostB),
            HttpStatusCode.Forbidden, "access.denied", "Prohibido", "Su enlace no da acceso a esto.");
        AssertProblem(await SendAsync(s.Client, HttpMethod.Get, $"/api/tours/{s.TourId}/hosts/h_nope/calendar", s.Organizer),
            HttpStatusCode.NotFound, "host.no-such", "No encontrado", "No existe ese grupo anfitrión en esta gira.");
    }
}
