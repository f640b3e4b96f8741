from django import forms

from students.models import University


class UniversityForm(forms.ModelForm):
    class Meta:
        model = University
        fields = ["name", "code"]
