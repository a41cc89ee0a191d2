"""Set 03 by other methods than the master's: the carry normalised in place, multiplication as
carry(poly_multiply(...)) (the master's own comment), the dice by counting outcomes, and change by the coin-by-coin
recurrence."""
SET = "03-polynomial"
CELLS = {
    "carry-answer": r'''
def carry(coefficients, base=10):
    """Normalise in place: wherever a place holds base or more, push the excess one place up, left to right."""
    digits = list(coefficients) or [0]
    k = 0
    while k < len(digits):
        if digits[k] >= base:
            if k + 1 == len(digits):
                digits.append(0)
            digits[k + 1] += digits[k] // base
            digits[k] %= base
        k += 1
    while len(digits) > 1 and digits[-1] == 0:
        digits.pop()
    return digits
''',
    "multiply-digits-answer": r'''
def multiply_digits(xd, yd, base=10):
    """Exercises 1 and 3 together: multiply the digit polynomials, then carry."""
    return carry(poly_multiply(xd, yd), base)
''',
    "dice-answer": r'''
def dice_distribution(n, sides=6):
    """Count the ways to reach each sum, die by die, then divide by sides**n (all outcomes equally likely)."""
    if n < 0 or sides < 1:
        raise ValueError(f"dice_distribution: need n >= 0 and sides >= 1, got n = {n} and sides = {sides}.")
    ways = [1]
    for _ in range(n):
        new = [0] * (len(ways) + sides)
        for s, w in enumerate(ways):
            for face in range(1, sides + 1):
                new[s + face] += w
        ways = new
    return [Fraction(w, sides ** n) for w in ways]
''',
    "change-answer": r'''
def ways_to_make_change(amount, coins):
    """ways[k] counts the ways to pay k with the coins seen so far; a coin c adds ways[k - c] to ways[k]."""
    ways = [1] + [0] * amount
    for c in coins:
        for k in range(c, amount + 1):
            ways[k] += ways[k - c]
    return ways[amount]
''',
}
