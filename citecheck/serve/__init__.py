"""The editors' page (`citecheck serve`): a local web application over the same engine as `citecheck check` and `fix`."""
