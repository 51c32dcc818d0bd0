"""Programmes: the women's group and the parallel offer (men's and children's groups)."""
