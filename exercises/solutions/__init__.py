"""Reference solutions to the exercises, written the way a learner would write them.

They are not in the exercise notebooks: the website shows each one in a
hidden dropdown under its exercise, and the tests check that every one passes
its check in `descent.check`.
"""
