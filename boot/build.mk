# boot: sources (see the root Makefile for the variables)
