namespace TourPlanner.Grains; internal static class Placeholder {}
