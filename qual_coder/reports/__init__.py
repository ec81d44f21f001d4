"""Writers for the formats reports are written in: Markdown, CSV, XLSX, DOCX, JSON."""
