"""Peru's places (INEI ubigeo): departments, provinces and districts."""
