"""The CASCADE framework's four rating levels, lowest first (Table 1 of the paper)."""

LEVELS = ("Major challenge", "Good elements of practice", "Widespread good practice",
          "Gold standard")
