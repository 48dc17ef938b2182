"""Joint commitments and their signatures arrive with the commitments issue."""
