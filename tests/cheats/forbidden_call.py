"""Use numpy.convolve in the exercise that asks for a hand-written Riemann sum."""
CELL = "riemann-answer"
FOOLS = None
CAUGHT_BY = {"audit": "uses numpy.convolve, which this exercise forbids"}
SOURCE = '''
from numpy import convolve

def riemann_convolve(f, g, t, dx, lo, hi):
    import numpy
    x = numpy.arange(lo, hi, dx)
    return numpy.array([convolve(f(x), g(tt - x), mode="valid")[0] * dx for tt in numpy.atleast_1d(t)])
'''
